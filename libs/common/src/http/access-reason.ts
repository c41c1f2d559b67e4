import { DomainError } from '../errors/domain-error';

export const ACCESS_REASON_HEADER = 'x-access-reason';

/**
 * The access reason of a request: 3-200 characters once percent-decoded
 * (non-ASCII text travels as percent-encoded UTF-8), no control characters.
 * Returns null when absent; throws 400 `reason_required` when malformed.
 */
export function parseAccessReason(header: string | string[] | undefined): string | null {
  const raw = Array.isArray(header) ? header[0] : header;
  if (raw === undefined) return null;
  let reason: string;
  try {
    reason = decodeURIComponent(raw).trim();
  } catch {
    throw reasonRequired('X-Access-Reason is not valid percent-encoded UTF-8.');
  }
  const length = [...reason].length;
  // eslint-disable-next-line no-control-regex
  if (length < 3 || length > 200 || /[\u0000-\u001f\u007f]/.test(reason)) {
    throw reasonRequired('X-Access-Reason must be 3-200 characters: a case or file number or a short justification.');
  }
  return reason;
}

export function reasonRequired(
  detail = 'Send X-Access-Reason: a case or file number or a short justification.',
): DomainError {
  return new DomainError('reason_required', detail);
}
