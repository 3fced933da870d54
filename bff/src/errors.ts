// The one error type: thrown anywhere, answered by the errors plugin in the one shape.
import { ERRORS, ErrorBody, type ErrorCode } from '@onewindow/shared-types';

export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: unknown,
  ) {
    super(message ?? ERRORS[code].message);
    this.status = ERRORS[code].status;
  }
}

/** Every route's error answers, in the one error shape (the OpenAPI document and serialisation). */
export const errorResponses = { '4xx': ErrorBody, '5xx': ErrorBody };
