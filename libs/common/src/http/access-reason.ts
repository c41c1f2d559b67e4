import { DomainError } from '../errors/domain-error';
import { freeTextProblem, normaliseText } from './free-text';

export const ACCESS_REASON_HEADER = 'x-access-reason';

/**
 * The access reason of a request: 3-200 characters once percent-decoded
 * (non-ASCII text travels as percent-encoded UTF-8) and normalised (NFC,
 * trimmed), one line of visible text: no control characters (a decoded NUL
 * among them) and no invisible formatting characters such as zero-width
 * spaces or direction overrides (the free-text rules of every text field).
 * Returns null when absent; throws 400 `reason_required` when malformed.
 */
export function parseAccessReason(header: string | string[] | undefined): string | null {
  const raw = Array.isArray(header) ? header[0] : header;
  if (raw === undefined) return null;
  let reason: string;
  try {
    reason = normaliseText(decodeURIComponent(raw));
  } catch {
    throw malformed('is not valid percent-encoded UTF-8');
  }
  const length = [...reason].length;
  if (length < 3 || length > 200) throw malformed('must be 3-200 characters');
  const problem = freeTextProblem(reason);
  if (problem) throw malformed(problem);
  return reason;
}

function malformed(problem: string): DomainError {
  return new DomainError(
    'reason_required',
    'X-Access-Reason must be 3-200 characters of visible text: a case or file number or a short justification.',
    [{ field: 'X-Access-Reason', message: problem }],
  );
}

export function reasonRequired(
  detail = 'Send X-Access-Reason: a case or file number or a short justification.',
): DomainError {
  return new DomainError('reason_required', detail);
}
