// One error shape for every failure: `{error: {code, message, details?}, requestId}`.
// Validation and plugin errors are mapped to stable codes; 5xx internals stay in the log.
import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance } from 'fastify';
import { ERRORS, type ErrorCode } from '@onewindow/shared-types';
import { AppError } from '../errors';

function classify(error: FastifyError & { statusCode?: number }): AppError {
  if (error instanceof AppError) return error;
  if (error.validation) {
    return new AppError('INVALID_INPUT', undefined, error.validation.map((v) => ({ field: v.instancePath || (v.params as { missingProperty?: string })?.missingProperty || '', rule: v.keyword })));
  }
  const byStatus: Record<number, ErrorCode> = { 400: 'INVALID_INPUT', 404: 'NOT_FOUND', 413: 'PAYLOAD_TOO_LARGE', 415: 'INVALID_INPUT', 429: 'RATE_LIMITED', 503: 'OVERLOADED' };
  const code = error.statusCode ? byStatus[error.statusCode] : undefined;
  return new AppError(code ?? 'INTERNAL');
}

export const errorsPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const appError = classify(error);
    if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: appError.code }, 'request refused');
    const body: { error: { code: string; message: string; details?: unknown }; requestId: string } = {
      error: { code: appError.code, message: appError.message },
      requestId: request.id,
    };
    if (appError.details !== undefined) body.error.details = appError.details;
    void reply.status(appError.status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ error: { code: 'NOT_FOUND', message: ERRORS.NOT_FOUND.message }, requestId: request.id });
  });
  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
});
