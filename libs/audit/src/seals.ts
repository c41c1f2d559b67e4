import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical';

export const GENESIS_HASH = Buffer.alloc(32);

export interface SealRow {
  seal_no: string;
  sealed_at: Date;
  tx_from: string;
  tx_to: string;
  event_count: number;
  total_events: string;
  first_seq: string | null;
  last_seq: string | null;
  seqs: string[];
  leaves: Buffer;
  merkle_root: Buffer;
  prev_hash: Buffer;
  hash: Buffer;
  key_id: string;
  signature: Buffer;
}

export const SEAL_COLUMNS = `seal_no::text, sealed_at, tx_from::text, tx_to::text, event_count, total_events::text,
  first_seq::text, last_seq::text, seqs::text[], leaves, merkle_root, prev_hash, hash, key_id, signature`;

/** The seal's hash: SHA-256 of the canonical JSON of everything it commits to (signed, and chained by the next seal). */
export function sealHash(seal: Omit<SealRow, 'hash' | 'signature' | 'leaves'>): Buffer {
  const seqsHash = createHash('sha256').update(seal.seqs.join(',')).digest('hex');
  const body = canonicalJson({
    sealNo: seal.seal_no,
    sealedAt: seal.sealed_at.toISOString(),
    txFrom: seal.tx_from,
    txTo: seal.tx_to,
    eventCount: seal.event_count,
    totalEvents: seal.total_events,
    firstSeq: seal.first_seq,
    lastSeq: seal.last_seq,
    seqsHash,
    merkleRoot: seal.merkle_root.toString('hex'),
    prevHash: seal.prev_hash.toString('hex'),
    keyId: seal.key_id,
  });
  return createHash('sha256').update(body).digest();
}

/** A signed statement of the sealed log's head, meant to be kept outside the database. */
export interface Checkpoint {
  sealedThrough: number;
  treeSize: number;
  root: string;
  signedAt: string;
  keyId: string;
  signature: string;
}

export function checkpointBody(checkpoint: Omit<Checkpoint, 'signature'>): Buffer {
  return Buffer.from(
    canonicalJson({
      sealedThrough: checkpoint.sealedThrough,
      treeSize: checkpoint.treeSize,
      root: checkpoint.root,
      signedAt: checkpoint.signedAt,
      keyId: checkpoint.keyId,
    }),
  );
}
