// One logger (pino through Fastify) that never writes identity numbers, phone numbers, tokens or passwords.
import type { FastifyServerOptions } from 'fastify';

const SECRET_PATHS = [
  'req.headers.authorization',
  'req.headers["x-signature"]',
  '*.password',
  '*.idNumber',
  '*.phone',
  '*.accessToken',
  '*.refreshToken',
  '*.token',
  '*.code',
];

export function loggerOptions(env: string): FastifyServerOptions['logger'] {
  if (env === 'test') return false;
  return { level: env === 'production' ? 'info' : 'debug', redact: { paths: SECRET_PATHS, censor: '[redacted]' } };
}
