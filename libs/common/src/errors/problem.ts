import { DomainError, type FieldError } from './domain-error';
import { codeForStatus, problemKind, type ProblemCode } from './problem-code';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const PROBLEM_TYPE_PREFIX = 'urn:register:problem:';

/** RFC 9457 problem details as the contract shapes them. */
export interface Problem {
  [extension: string]: unknown;
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors?: FieldError[];
}

export interface ProblemAnswer {
  problem: Problem;
  headers: Record<string, string>;
}

export function buildProblem(code: ProblemCode, detail: string, instance: string, errors?: FieldError[]): Problem {
  const kind = problemKind(code);
  const problem: Problem = {
    type: PROBLEM_TYPE_PREFIX + code,
    title: kind.title,
    status: kind.status,
    detail,
    instance,
  };
  if (errors && errors.length > 0) problem.errors = errors;
  return problem;
}

interface StatusError {
  status?: unknown;
  statusCode?: unknown;
  getStatus?: () => number;
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as StatusError;
  const status = typeof e.getStatus === 'function' ? e.getStatus() : (e.statusCode ?? e.status);
  return typeof status === 'number' && status >= 400 && status <= 599 ? status : undefined;
}

/** Default client-facing detail for framework errors, never their own message (it may name a library). */
function genericDetail(code: ProblemCode): string {
  switch (code) {
    case 'not_found':
      return 'No resource at this address.';
    case 'payload_too_large':
      return 'The request body exceeds the allowed size.';
    case 'unsupported_media_type':
      return 'The request body must be sent as application/json.';
    case 'rate_limited':
      return 'Too many requests from this address; wait and try again.';
    case 'method_not_allowed':
      return 'This method is not allowed here.';
    case 'validation':
      return 'The request could not be read.';
    case 'unavailable':
      return 'The service cannot answer right now; try again shortly.';
    default:
      return problemKind(code).title + '.';
  }
}

/**
 * Turns anything thrown into a problem. Domain errors keep their detail; any
 * other error keeps only its status, so no library text or stack leaves the
 * service. Unknown errors are 500 `internal`.
 */
export function toProblem(error: unknown, instance: string): ProblemAnswer {
  if (error instanceof DomainError) {
    return {
      problem: { ...error.extensions, ...buildProblem(error.code, error.detail, instance, error.errors) },
      headers: error.headers ?? {},
    };
  }
  if (isDatabaseUnavailable(error)) {
    return {
      problem: buildProblem('unavailable', genericDetail('unavailable'), instance),
      headers: { 'retry-after': '5' },
    };
  }
  const status = statusOf(error);
  const code = status === undefined ? 'internal' : codeForStatus(status);
  return { problem: buildProblem(code, genericDetail(code), instance), headers: {} };
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

const RELEASED_CONNECTION_ERRORS = new Set([
  'QueryRunnerAlreadyReleasedError',
  'QueryRunnerProviderAlreadyReleasedError',
]);

/** Connection loss, shutdown or exhausted connections: the client may retry, so 503 rather than 500. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as {
    code?: unknown;
    severity?: unknown;
    driverError?: { code?: unknown; severity?: unknown };
    message?: unknown;
    name?: unknown;
  };
  const code = e.driverError?.code ?? e.code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  // FATAL (or PANIC): the server ended the session, e.g. it refuses connections to the database right now.
  const severity = e.driverError?.severity ?? e.severity;
  if (severity === 'FATAL' || severity === 'PANIC') return true;
  // TypeORM releases a transaction's query runner when its connection dies (e.g. pg_terminate_backend
  // between two statements); the transaction's next statement then fails with one of these.
  if (typeof e.name === 'string' && RELEASED_CONNECTION_ERRORS.has(e.name)) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    message,
  );
}
