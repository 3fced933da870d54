// One error shape for every failure: `{error: {code, message, details?}, requestId}`.
// Validation, parser and plugin errors are mapped to stable codes; 5xx internals stay in the log.
// No input may produce a 500: any 4xx Fastify raises (bad JSON, empty body, an unsupported
// content type, a body over the limit, a poisoned prototype key) keeps its 4xx status class.
import fp from 'fastify-plugin';
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance } from 'fastify';
import { ERRORS, type ErrorCode } from '@onewindow/shared-types';
import { AppError } from '../errors';

export interface ErrorBodyShape {
  error: { code: string; message: string; details?: unknown };
  requestId: string;
}

export function errorBody(
  requestId: string,
  code: ErrorCode,
  message: string = ERRORS[code].message,
  details?: unknown,
): ErrorBodyShape {
  const body: ErrorBodyShape = { error: { code, message }, requestId };
  if (details !== undefined) body.error.details = details;
  return body;
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (a malformed request line or
 * header, headers over the limit, a client too slow to send them): answered on the socket in the
 * same shape, with a fresh request id since no request exists yet.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const code: ErrorCode =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? 'REQUEST_TIMEOUT'
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? 'HEADERS_TOO_LARGE'
        : 'INVALID_INPUT';
  const { status } = ERRORS[code];
  const body = JSON.stringify(errorBody(randomUUID(), code));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${code.replace(/_/g, ' ')}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

const BY_STATUS: Record<number, ErrorCode> = {
  400: 'INVALID_INPUT',
  404: 'NOT_FOUND',
  408: 'REQUEST_TIMEOUT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  431: 'HEADERS_TOO_LARGE',
  503: 'OVERLOADED',
};

function classify(error: FastifyError & { statusCode?: number }): AppError {
  if (error instanceof AppError) return error;
  if (error.validation) {
    // An impossible date is common enough (a picker's typo, 2026-02-30) to say so in words.
    const first = error.validation[0] as
      { keyword?: string; params?: { format?: string }; data?: unknown } | undefined;
    const message =
      first?.keyword === 'format' && (first.params?.format === 'date' || first.params?.format === 'date-time')
        ? `日期无效：${String(first.data).slice(0, 40)}`
        : undefined;
    return new AppError(
      'INVALID_INPUT',
      message,
      error.validation.map((v) => ({
        field: v.instancePath || (v.params as { missingProperty?: string })?.missingProperty || '',
        rule: v.keyword,
      })),
    );
  }
  const status = error.statusCode ?? 500;
  const code = BY_STATUS[status];
  if (code) return new AppError(code);
  // Any other client error (Fastify's parser and routing errors): the caller's fault, never a 500.
  if (status >= 400 && status < 500) return new AppError('INVALID_INPUT');
  return new AppError('INTERNAL');
}

export const errorsPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const appError = classify(error);
      if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
      else request.log.info({ code: appError.code, fastifyCode: error.code }, 'request refused');
      void reply
        .status(appError.status)
        .send(errorBody(request.id, appError.code, appError.message, appError.details));
    });
    app.setNotFoundHandler((request, reply) => {
      void reply.status(404).send(errorBody(request.id, 'NOT_FOUND'));
    });
    app.addHook('onSend', (request, reply, payload, done) => {
      void reply.header('x-request-id', request.id);
      done(null, payload);
    });
  },
  { name: 'errors', dependencies: [] },
);
