import type { ProblemCode } from './problem-code';

export interface FieldError {
  field: string;
  message: string;
}

/**
 * The one error type services throw. It names a contract problem code and a
 * detail meant for the client; the HTTP layer maps it, the worker logs it.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly errors?: FieldError[],
    /** Extra response headers, e.g. Retry-After. */
    readonly headers?: Record<string, string>,
    /** Extra members of the problem object (RFC 9457 extensions). */
    readonly extensions?: Record<string, unknown>,
  ) {
    super(detail);
    this.name = 'DomainError';
  }

  static validation(errors: FieldError[], detail = 'Some fields are not valid.'): DomainError {
    return new DomainError('validation', detail, errors);
  }

  static notFound(detail = 'The resource does not exist.'): DomainError {
    return new DomainError('not_found', detail);
  }

  /**
   * 404 for a record that exists but lies outside the caller's reach: the
   * answer is the same as for an absent one, and the audit layer records the
   * attempt as `denied`.
   */
  static outOfReach(detail: string): DomainError {
    return new OutOfReach(detail);
  }

  static conflict(detail: string): DomainError {
    return new DomainError('conflict', detail);
  }

  /** 429: the caller may try again after `retryAfterSeconds` (at least 1). */
  static rateLimited(detail: string, retryAfterSeconds: number): DomainError {
    return new DomainError('rate_limited', detail, undefined, {
      'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))),
    });
  }

  /** 503, with the same Retry-After as every other 503 the service sends. */
  static unavailable(detail = 'The service cannot answer right now; try again shortly.'): DomainError {
    return new DomainError('unavailable', detail, undefined, { 'retry-after': '5' });
  }
}

/** See DomainError.outOfReach. */
export class OutOfReach extends DomainError {
  constructor(detail: string) {
    super('not_found', detail);
  }
}
