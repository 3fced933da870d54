// MongoDB operators never reach a query from user input: any `$`-prefixed or dotted key in
// the body, query or params is refused before validation and before any handler runs.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors';

/** The path of the first key that could act as a MongoDB operator or path, or null. */
export function operatorKey(value: unknown, path = '', depth = 0): string | null {
  if (depth > 32) return path || '(root)';
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = operatorKey(value[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  for (const key of Object.keys(value)) {
    const here = path ? `${path}.${key}` : key;
    if (
      key.startsWith('$') ||
      key.includes('.') ||
      key === '__proto__' ||
      key === 'constructor' ||
      key === 'prototype'
    )
      return here;
    const found = operatorKey((value as Record<string, unknown>)[key], here, depth + 1);
    if (found) return found;
  }
  return null;
}

export const inputHygienePlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('preValidation', (request, _reply, done) => {
      for (const [part, value] of [
        ['body', request.body],
        ['query', request.query],
        ['params', request.params],
      ] as const) {
        const key = operatorKey(value);
        if (key) return done(new AppError('INVALID_INPUT', '请求中含有不允许的字段名', { [part]: key }));
      }
      done();
    });
  },
  { name: 'input-hygiene', dependencies: ['errors'] },
);
