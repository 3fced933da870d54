// One logger (pino through Fastify) that never writes identity numbers, phone numbers, tokens or passwords.
import type { FastifyServerOptions } from 'fastify';

const SECRET_FIELDS = ['password', 'idNumber', 'phone', 'accessToken', 'refreshToken', 'token', 'code', 'signature'];

/** Each secret field at the top of a log object and up to two levels down, plus credential headers. */
const SECRET_PATHS = [
  'req.headers.authorization',
  'req.headers["x-signature"]',
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
];

/** Tests log nothing unless they pass a stream to read what would have been written. */
export function loggerOptions(env: string, level: string, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  if (env === 'test' && !stream) return false;
  return { level, redact: { paths: SECRET_PATHS, censor: '[redacted]' }, ...(stream ? { stream } : {}) };
}
