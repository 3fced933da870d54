// The one error type: thrown anywhere, answered by the errors plugin in the one shape.
import { ERRORS, type ErrorCode } from '@onewindow/shared-types';

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
