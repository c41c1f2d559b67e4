import type { AuditKeys } from './audit-keys';
import { canonicalJson } from './canonical';

/**
 * A review is the event of the request that made it (`audit.review`, its
 * resource the reviewed event): stamped by the database, sealed like every
 * event, its reviewer the signed-in auditor. The runtime role can insert an
 * event that says the same; it cannot sign it, so verification names it.
 */
export const REVIEW_ACTION = 'audit.review';

/** The events that count as reviews of the event whose id is their `resource_id` (index audit_events_review_idx). */
export const isReviewSql = (alias: string): string =>
  `${alias}.action = '${REVIEW_ACTION}' AND ${alias}.outcome = 'allowed'`;

export interface Review {
  eventId: string;
  reviewerUserId: string;
  reviewerUsername: string;
  note: string;
}

/** What a review event's `details` hold: the note, and the sealing key's signature of who reviewed what, saying what. */
export type ReviewDetails = {
  note: string;
  keyId: string;
  signature: string;
};

function statement(review: Review): Buffer {
  return Buffer.from(
    canonicalJson({
      kind: REVIEW_ACTION,
      eventId: review.eventId,
      reviewerUserId: review.reviewerUserId,
      reviewerUsername: review.reviewerUsername,
      note: review.note,
    }),
  );
}

export function signedReview(keys: AuditKeys, review: Review): ReviewDetails {
  return { note: review.note, keyId: keys.keyId, signature: keys.sign(statement(review)).toString('base64url') };
}

/** A stored review event, as the verifier reads it. */
export interface ReviewRow {
  seq: string;
  resource_id: string | null;
  actor_user_id: string | null;
  actor_username: string | null;
  details: unknown;
}

/** Whether a review event carries the sealing key's signature of exactly what it says. */
export function reviewIsSigned(keys: AuditKeys, row: ReviewRow): boolean {
  const details = row.details as Partial<Record<keyof ReviewDetails, unknown>> | null;
  if (
    !row.resource_id ||
    !row.actor_user_id ||
    !row.actor_username ||
    typeof details?.note !== 'string' ||
    typeof details.keyId !== 'string' ||
    typeof details.signature !== 'string'
  ) {
    return false;
  }
  const review = {
    eventId: row.resource_id,
    reviewerUserId: row.actor_user_id,
    reviewerUsername: row.actor_username,
    note: details.note,
  };
  return keys.verify(details.keyId, statement(review), Buffer.from(details.signature, 'base64url'));
}
