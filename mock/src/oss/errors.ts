// OSS answers errors as XML with a Code the SDKs map to exceptions; these are the ones the
// simulator produces, with the HTTP status and message OSS uses for each.
import { randomBytes } from 'node:crypto';

const STATUS: Record<string, number> = {
  AccessDenied: 403,
  SignatureDoesNotMatch: 403,
  InvalidAccessKeyId: 403,
  RequestTimeTooSkewed: 403,
  NoSuchKey: 404,
  EntityTooLarge: 400,
  EntityTooSmall: 400,
  InvalidPolicyDocument: 400,
  InvalidArgument: 400,
  InvalidObjectName: 400,
  InvalidDigest: 400,
  MalformedPOSTRequest: 400,
  MethodNotAllowed: 405,
  FileAlreadyExists: 409,
  InternalError: 500,
};

export class OssError extends Error {
  readonly status: number;

  constructor(
    readonly code: keyof typeof STATUS,
    message: string,
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
    this.status = STATUS[code] ?? 400;
  }
}

export function requestId(): string {
  return randomBytes(12).toString('hex').toUpperCase();
}

function escapeXml(value: string): string {
  return value.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
  );
}

export function errorXml(error: OssError, id: string, host: string): string {
  const extra = Object.entries(error.extra)
    .map(([k, v]) => `  <${k}>${escapeXml(v)}</${k}>\n`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  <Code>${error.code}</Code>\n  <Message>${escapeXml(error.message)}</Message>\n  <RequestId>${id}</RequestId>\n  <HostId>${escapeXml(host)}</HostId>\n${extra}</Error>\n`;
}
