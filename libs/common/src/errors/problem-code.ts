/** The problem codes of the HTTP contract, plus `internal` for faults the client cannot cause. */
export const PROBLEM_CODES = [
  'validation',
  'unauthenticated',
  'otp_required',
  'password_change_required',
  'mfa_enrollment_required',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'conflict',
  'precondition_required',
  'version_mismatch',
  'reason_required',
  'idempotency_mismatch',
  'rate_limited',
  'payload_too_large',
  'unsupported_media_type',
  'unavailable',
  'internal',
] as const;

export type ProblemCode = (typeof PROBLEM_CODES)[number];

export interface ProblemKind {
  status: number;
  title: string;
}

/** One place that says what each code means on the wire; the switch is exhaustive by type. */
export function problemKind(code: ProblemCode): ProblemKind {
  switch (code) {
    case 'validation':
      return { status: 400, title: 'The request is not valid' };
    case 'reason_required':
      return { status: 400, title: 'An access reason is required' };
    case 'unauthenticated':
      return { status: 401, title: 'Authentication is required' };
    case 'otp_required':
      return { status: 401, title: 'A one-time code is required' };
    case 'password_change_required':
      return { status: 403, title: 'The password must be changed first' };
    case 'mfa_enrollment_required':
      return { status: 403, title: 'Multi-factor authentication must be set up first' };
    case 'forbidden':
      return { status: 403, title: 'Not allowed' };
    case 'not_found':
      return { status: 404, title: 'Not found' };
    case 'method_not_allowed':
      return { status: 405, title: 'Method not allowed' };
    case 'conflict':
      return { status: 409, title: 'Conflict with the current state' };
    case 'version_mismatch':
      return { status: 412, title: 'The resource has changed' };
    case 'payload_too_large':
      return { status: 413, title: 'The request body is too large' };
    case 'unsupported_media_type':
      return { status: 415, title: 'Unsupported media type' };
    case 'idempotency_mismatch':
      return { status: 422, title: 'The idempotency key was used with another request' };
    case 'precondition_required':
      return { status: 428, title: 'If-Match is required' };
    case 'rate_limited':
      return { status: 429, title: 'Too many requests' };
    case 'internal':
      return { status: 500, title: 'Internal error' };
    case 'unavailable':
      return { status: 503, title: 'The service is unavailable' };
  }
}

/** The code a bare HTTP status stands for, for errors raised by the framework rather than the domain. */
export function codeForStatus(status: number): ProblemCode {
  switch (status) {
    case 400:
      return 'validation';
    case 401:
      return 'unauthenticated';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 405:
      return 'method_not_allowed';
    case 409:
      return 'conflict';
    case 412:
      return 'version_mismatch';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    case 428:
      return 'precondition_required';
    case 429:
      return 'rate_limited';
    case 503:
      return 'unavailable';
    default:
      return status >= 400 && status < 500 ? 'validation' : 'internal';
  }
}
