import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { AuditKeys, sealingKeyId } from './audit-keys';
import { reviewIsSigned, type ReviewRow, signedReview } from './reviews';

function keys(): AuditKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return new AuditKeys({ keyId: sealingKeyId(publicKey), privateKey, publicKey }, [], randomBytes(32));
}

describe('review signatures', () => {
  const sealing = keys();
  const review = {
    eventId: '6f1c3a52-3c1e-4a55-9d4e-0a7f4f5b2c11',
    reviewerUserId: '0b7e7c1e-0d1e-4f4a-9a43-1f7c2d7e9a10',
    reviewerUsername: 'auditor.1',
    note: 'Consultation matches case KT-2/2026.',
  };
  const row = (details: unknown, overrides: Partial<ReviewRow> = {}): ReviewRow => ({
    seq: '42',
    resource_id: review.eventId,
    actor_user_id: review.reviewerUserId,
    actor_username: review.reviewerUsername,
    details,
    ...overrides,
  });
  const signed = signedReview(sealing, review);

  it.each([
    ['no signature', row({ note: review.note })],
    ['no details', row(null)],
    ['details of another shape', row(['note', review.note])],
    ['a signature that is not a string', row({ ...signed, signature: 7 })],
    ['another note', row({ ...signed, note: 'Nothing to see.' })],
    ['another reviewed event', row(signed, { resource_id: '11111111-1111-4111-8111-111111111111' })],
    ['another reviewer', row(signed, { actor_user_id: '22222222-2222-4222-8222-222222222222' })],
    ['another reviewer name', row(signed, { actor_username: 'auditor.2' })],
    ['no reviewer', row(signed, { actor_user_id: null })],
    ['another key', row(signedReview(keys(), review))],
    ['a key id that names no key', row({ ...signed, keyId: 'unknown' })],
  ])('refuses a review with %s', (_, forged) => {
    expect(reviewIsSigned(sealing, forged)).toBe(false);
  });

  it('accepts the review as signed, with the note in the details', () => {
    expect(signed).toEqual({
      note: review.note,
      keyId: sealing.keyId,
      signature: expect.stringMatching(/^[\w-]{86}$/),
    });
    expect(reviewIsSigned(sealing, row(signed))).toBe(true);
  });
});
