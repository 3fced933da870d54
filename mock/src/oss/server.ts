// An Aliyun OSS-compatible endpoint for one bucket, served at the root like a bound custom
// domain (the SDK's `cname: true`): objects at `/<key>`, PostObject at `/`. Signatures,
// policies and errors follow OSS so the real `ali-oss` SDK and a mini-program's
// wx.uploadFile work against it unchanged.
import busboy from 'busboy';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { listen, readBody, BodyTooLarge } from '../json-http';
import { errorXml, OssError, requestId } from './errors';
import { diskStore, memoryStore, type ObjectStore, type StoredObject } from './object-store';
import { checkPolicy } from './policy';
import { canonicalResource, hmacSha1, requestDate, sameSignature, stringToSign } from './signature';

export interface OssOptions {
  host?: string;
  port?: number;
  bucket: string;
  region?: string;
  accessKeyId: string;
  accessKeySecret: string;
  /** Objects on disk under this folder; in memory when absent. */
  dataDir?: string;
  /** OSS refuses requests dated more than 15 minutes off. */
  maxClockSkewMs?: number;
  /** Largest PutObject body accepted (OSS: 5 GiB; smaller here, it is held in memory). */
  maxPutBytes?: number;
}

export interface OssHandle {
  url: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  accessKeySecret: string;
  /** Stores an object directly, as another system writing to the bucket would. */
  putObject(key: string, body: Buffer, contentType: string): void;
  stop(): Promise<void>;
}

function validKey(raw: string): string {
  let key: string;
  try {
    key = decodeURIComponent(raw);
  } catch {
    throw new OssError('InvalidObjectName', 'The specified object is not valid.');
  }
  if (
    !key ||
    Buffer.byteLength(key) > 1023 ||
    key.startsWith('/') ||
    key.startsWith('\\') ||
    key.split('/').includes('..')
  ) {
    throw new OssError('InvalidObjectName', 'The specified object is not valid.', { ObjectName: key });
  }
  return key;
}

function objectHeaders(
  object: StoredObject,
  id: string,
  contentTypeOverride?: string | null,
): Record<string, string | number> {
  return {
    'content-type': contentTypeOverride || object.contentType,
    'content-length': object.body.length,
    etag: `"${object.etag}"`,
    'last-modified': object.lastModified.toUTCString(),
    'x-oss-object-type': 'Normal',
    'x-oss-request-id': id,
  };
}

/**
 * One `bytes=first-last` (or `first-`, or `-suffix`) range within the object, else null: like
 * OSS, an unusable range gets the whole object with 200 rather than an error.
 */
function byteRange(header: string | undefined, size: number): [number, number] | null {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === '' && match[2] === '') || size === 0) return null;
  let first: number;
  let last: number;
  if (match[1] === '') {
    first = Math.max(0, size - Number(match[2]));
    last = size - 1;
  } else {
    first = Number(match[1]);
    last = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  return first <= last && first < size ? [first, last] : null;
}

export async function startOss(options: OssOptions): Promise<OssHandle> {
  const store: ObjectStore = options.dataDir ? diskStore(options.dataDir) : memoryStore();
  const skew = options.maxClockSkewMs ?? 15 * 60_000;
  const maxPut = options.maxPutBytes ?? 64 * 1024 * 1024;
  const region = options.region ?? 'oss-cn-hangzhou';

  function authorize(req: IncomingMessage, url: URL, key: string): void {
    const resource = canonicalResource(options.bucket, key, url.searchParams);
    const method = req.method ?? 'GET';
    const authorization = req.headers.authorization;
    if (authorization) {
      const match = /^OSS ([^:]+):(.+)$/.exec(authorization);
      if (!match) throw new OssError('InvalidArgument', 'Authorization header is invalid.');
      if (match[1] !== options.accessKeyId)
        throw new OssError(
          'InvalidAccessKeyId',
          'The OSS Access Key Id you provided does not exist in our records.',
          { OSSAccessKeyId: match[1] },
        );
      const date = requestDate(req.headers);
      const when = Date.parse(date);
      if (!date || Number.isNaN(when) || Math.abs(Date.now() - when) > skew) {
        throw new OssError(
          'RequestTimeTooSkewed',
          'The difference between the request time and the current time is too large.',
          {
            RequestTime: date,
            ServerTime: new Date().toUTCString(),
            MaxAllowedSkewMilliseconds: String(skew),
          },
        );
      }
      const canonical = stringToSign(method, req.headers, date, resource);
      if (!sameSignature(hmacSha1(options.accessKeySecret, canonical), match[2])) {
        throw new OssError(
          'SignatureDoesNotMatch',
          'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
          { StringToSign: canonical, OSSAccessKeyId: match[1] },
        );
      }
      return;
    }
    const signatureParam = url.searchParams.get('Signature');
    const expires = url.searchParams.get('Expires');
    const accessKeyId = url.searchParams.get('OSSAccessKeyId');
    if (signatureParam && expires && accessKeyId) {
      if (accessKeyId !== options.accessKeyId)
        throw new OssError(
          'InvalidAccessKeyId',
          'The OSS Access Key Id you provided does not exist in our records.',
          { OSSAccessKeyId: accessKeyId },
        );
      if (!/^\d+$/.test(expires) || Number(expires) * 1000 < Date.now())
        throw new OssError('AccessDenied', 'Request has expired.', {
          Expires: expires,
          ServerTime: new Date().toISOString(),
        });
      const canonical = stringToSign(method, req.headers, expires, resource);
      if (!sameSignature(hmacSha1(options.accessKeySecret, canonical), signatureParam)) {
        throw new OssError(
          'SignatureDoesNotMatch',
          'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
          { StringToSign: canonical },
        );
      }
      return;
    }
    // The bucket is private: anonymous access is refused.
    throw new OssError('AccessDenied', 'You have no right to access this object because of bucket acl.');
  }

  async function postObject(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const contentType = req.headers['content-type'] ?? '';
    if (!contentType.startsWith('multipart/form-data'))
      throw new OssError(
        'MalformedPOSTRequest',
        'The body of your POST request is not well-formed multipart/form-data.',
      );
    const fields = new Map<string, string>();
    const result = await new Promise<{ key: string; object: StoredObject; status: string }>(
      (resolve, reject) => {
        let settled = false;
        const fail = (error: unknown) => {
          if (settled) return;
          settled = true;
          // Stop parsing but keep reading, so the client gets the error instead of a reset socket.
          req.unpipe(parser);
          req.resume();
          reject(error instanceof Error ? error : new Error(String(error)));
        };
        const parser = busboy({
          headers: req.headers,
          limits: { fields: 50, fieldSize: 64 * 1024, files: 1 },
        });
        // OSS reads form field names case-insensitively (OSSAccessKeyId, Policy, Signature…).
        parser.on('field', (name, value) => fields.set(name.toLowerCase(), value));
        parser.on('file', (_name, stream, info) => {
          try {
            const key = fields.get('key');
            if (!key) throw new OssError('InvalidArgument', 'The key field is required.');
            validKey(encodeURIComponent(key));
            const policy = fields.get('policy');
            const accessKeyId = fields.get('ossaccesskeyid');
            const signature = fields.get('signature');
            if (!policy || !accessKeyId || !signature)
              throw new OssError(
                'AccessDenied',
                'Anonymous PostObject is not allowed: policy, OSSAccessKeyId and Signature are required.',
              );
            if (accessKeyId !== options.accessKeyId)
              throw new OssError(
                'InvalidAccessKeyId',
                'The OSS Access Key Id you provided does not exist in our records.',
                { OSSAccessKeyId: accessKeyId },
              );
            if (!sameSignature(hmacSha1(options.accessKeySecret, policy), signature))
              throw new OssError(
                'SignatureDoesNotMatch',
                'The request signature we calculated does not match the signature you provided.',
              );
            const limits = checkPolicy(policy, fields, options.bucket, new Date());
            if (fields.get('x-oss-forbid-overwrite') === 'true' && store.get(key))
              throw new OssError(
                'FileAlreadyExists',
                'The object you specified already exists and can not be overwritten.',
                { Key: key },
              );
            const chunks: Buffer[] = [];
            let size = 0;
            stream.on('data', (chunk: Buffer) => {
              size += chunk.length;
              if (size > limits.maxSize) {
                stream.resume();
                fail(
                  new OssError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size.', {
                    MaxSizeAllowed: String(limits.maxSize),
                  }),
                );
                return;
              }
              chunks.push(chunk);
            });
            stream.on('end', () => {
              if (settled) return;
              if (size < limits.minSize)
                return fail(
                  new OssError(
                    'EntityTooSmall',
                    'Your proposed upload is smaller than the minimum allowed size.',
                    { MinSizeAllowed: String(limits.minSize) },
                  ),
                );
              // Checked again as the object is stored: two uploads racing to one key, only the first lands.
              if (fields.get('x-oss-forbid-overwrite') === 'true' && store.get(key))
                return fail(
                  new OssError(
                    'FileAlreadyExists',
                    'The object you specified already exists and can not be overwritten.',
                    { Key: key },
                  ),
                );
              const type = fields.get('content-type') || info.mimeType || 'application/octet-stream';
              const object = store.put(key, Buffer.concat(chunks), type);
              settled = true;
              resolve({ key, object, status: fields.get('success_action_status') ?? '204' });
            });
          } catch (error) {
            stream.resume();
            fail(error);
          }
        });
        parser.on('error', (error) => fail(new OssError('MalformedPOSTRequest', (error as Error).message)));
        parser.on('close', () =>
          fail(
            new OssError(
              'InvalidArgument',
              'The file field is required and must be the last field of the form.',
            ),
          ),
        );
        req.pipe(parser);
      },
    );
    const location = `${publicUrl}/${encodeURIComponent(result.key).replace(/%2F/g, '/')}`;
    const headers = { etag: `"${result.object.etag}"`, location, 'x-oss-request-id': id };
    if (result.status === '201') {
      const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse>\n  <Bucket>${options.bucket}</Bucket>\n  <Location>${location}</Location>\n  <Key>${result.key}</Key>\n  <ETag>"${result.object.etag}"</ETag>\n</PostResponse>\n`;
      res.writeHead(201, { ...headers, 'content-type': 'application/xml' }).end(xml);
    } else {
      res.writeHead(result.status === '200' ? 200 : 204, headers).end();
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://oss.local');
    const method = req.method ?? 'GET';
    if (method === 'POST' && url.pathname === '/') return postObject(req, res, id);
    const key = validKey(url.pathname.slice(1));
    authorize(req, url, key);
    switch (method) {
      case 'PUT': {
        const body = await readBody(req, maxPut).catch((error: unknown) => {
          throw error instanceof BodyTooLarge
            ? new OssError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size.')
            : error;
        });
        if (req.headers['x-oss-forbid-overwrite'] === 'true' && store.get(key))
          throw new OssError(
            'FileAlreadyExists',
            'The object you specified already exists and can not be overwritten.',
            { Key: key },
          );
        const md5 = req.headers['content-md5'];
        if (md5 && createHash('md5').update(body).digest('base64') !== md5)
          throw new OssError('InvalidDigest', 'The Content-MD5 you specified is not valid.');
        const object = store.put(key, body, req.headers['content-type'] || 'application/octet-stream');
        res.writeHead(200, { etag: `"${object.etag}"`, 'x-oss-request-id': id, 'content-length': 0 }).end();
        return;
      }
      case 'GET':
      case 'HEAD': {
        const object = store.get(key);
        if (!object) throw new OssError('NoSuchKey', 'The specified key does not exist.', { Key: key });
        const headers = objectHeaders(object, id, url.searchParams.get('response-content-type'));
        const range = byteRange(req.headers.range, object.body.length);
        if (range) {
          const [first, last] = range;
          res.writeHead(206, {
            ...headers,
            'content-length': last - first + 1,
            'content-range': `bytes ${first}-${last}/${object.body.length}`,
          });
          res.end(method === 'GET' ? object.body.subarray(first, last + 1) : undefined);
          return;
        }
        res.writeHead(200, headers);
        res.end(method === 'GET' ? object.body : undefined);
        return;
      }
      case 'DELETE':
        store.delete(key);
        res.writeHead(204, { 'x-oss-request-id': id }).end();
        return;
      default:
        throw new OssError('MethodNotAllowed', 'The specified method is not allowed against this resource.');
    }
  }

  const server = createServer((req, res) => {
    const id = requestId();
    // Browsers (h5) post forms and read objects cross-origin, as a bucket with a CORS rule allows.
    res.setHeader('access-control-allow-origin', req.headers.origin ?? '*');
    res.setHeader('access-control-expose-headers', 'ETag, x-oss-request-id, Location, Content-Range');
    if (req.method === 'OPTIONS') {
      res.writeHead(200, {
        'access-control-allow-methods': 'GET, PUT, POST, DELETE, HEAD',
        'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
        'access-control-max-age': '600',
      });
      res.end();
      return;
    }
    handle(req, res, id).catch((error: unknown) => {
      const ossError =
        error instanceof OssError
          ? error
          : new OssError('InternalError', 'We encountered an internal error. Please try again.');
      if (res.headersSent) return void res.destroy();
      const body = req.method === 'HEAD' ? undefined : errorXml(ossError, id, req.headers.host ?? '');
      res.writeHead(ossError.status, {
        'content-type': 'application/xml',
        'x-oss-request-id': id,
        ...(body ? { 'content-length': Buffer.byteLength(body) } : {}),
      });
      res.end(body);
    });
  });
  const listening = await listen(server, options.host, options.port);
  // Named, not numeric: ali-oss refuses signatureUrl for an endpoint that is an IP address.
  const publicUrl = listening.url.replace(/^http:\/\/(127\.0\.0\.1|\[::1\]):/, 'http://localhost:');
  return {
    url: publicUrl,
    bucket: options.bucket,
    region,
    accessKeyId: options.accessKeyId,
    accessKeySecret: options.accessKeySecret,
    putObject: (key, body, contentType) =>
      void store.put(validKey(encodeURIComponent(key)), body, contentType),
    stop: () => listening.close(),
  };
}
