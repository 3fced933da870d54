// One logger (pino through Fastify) that never writes identity numbers, phone numbers, tokens or passwords.
import { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';

const SECRET_FIELDS = [
  'password',
  'idNumber',
  'phone',
  'accessToken',
  'refreshToken',
  'token',
  'code',
  'signature',
];

/** Each secret field at the top of a log object and up to two levels down, plus credential headers. */
const SECRET_PATHS = [
  'req.headers.authorization',
  'req.headers["x-signature"]',
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
];

/** Tests log nothing unless they pass a stream to read what would have been written. */
export function loggerOptions(
  env: string,
  level: string,
  stream?: NodeJS.WritableStream,
): FastifyServerOptions['logger'] {
  if (env === 'test' && !stream) return false;
  return { level, redact: { paths: SECRET_PATHS, censor: '[redacted]' }, ...(stream ? { stream } : {}) };
}

/**
 * One access line per request, when it is answered, instead of Fastify's two (received and
 * completed, each with the whole request serialised and redacted): logging was an eighth of a
 * catalogue read's CPU. Errors keep Fastify's own lines.
 */
export class AccessLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null, request: FastifyRequest, reply: FastifyReply): void {
    const line = {
      method: request.method,
      url: request.url,
      statusCode: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}
