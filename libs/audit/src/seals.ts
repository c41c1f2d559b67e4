import { createHash } from 'node:crypto';
import { ApiProperty } from '@nestjs/swagger';
import type { AuditKeys } from './audit-keys';
import { canonicalJson } from './canonical';

export const GENESIS_HASH = Buffer.alloc(32);

/** What a seal's hash commits to, besides the digest of its event numbers. */
export interface SealFields {
  seal_no: string;
  sealed_at: Date;
  tx_from: string;
  tx_to: string;
  event_count: number;
  total_events: string;
  first_seq: string | null;
  last_seq: string | null;
  merkle_root: Buffer;
  prev_hash: Buffer;
  key_id: string;
}

/** A stored seal without its leaves: enough to tell whether the sealing key made it. */
export interface SealHead extends SealFields {
  seqs_hash: string;
  hash: Buffer;
  signature: Buffer;
}

/** A stored seal as it is checked: the event numbers as their digest, the leaves concatenated. */
export interface SealRow extends SealHead {
  leaves: Buffer;
}

/** The digest of a seal's event numbers: SHA-256 (hex) of the numbers in order, comma-separated. */
export function seqsHashOf(seqs: string[]): string {
  return createHash('sha256').update(seqs.join(',')).digest('hex');
}

/**
 * The same digest computed by PostgreSQL from a `bigint[]` expression; the
 * functions are named in `pg_catalog`, so that none placed earlier on the
 * search path can stand in for them.
 */
export const seqsHashSql = (seqs: string): string =>
  `pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(coalesce(pg_catalog.array_to_string(${seqs}, ','), ''), 'UTF8')), 'hex')`;

/**
 * A seal's columns for checking it. The numbers come as their digest, computed
 * by the database in the same read: ten thousand numbers a seal need not
 * cross the wire to be hashed.
 */
export const SEAL_HEAD_COLUMNS = `seal_no::text, sealed_at, tx_from::text, tx_to::text, event_count, total_events::text,
  first_seq::text, last_seq::text, ${seqsHashSql('seqs')} AS seqs_hash, merkle_root, prev_hash, hash, key_id, signature`;

export const SEAL_COLUMNS = `${SEAL_HEAD_COLUMNS}, leaves`;

/** A seal as it is stored: what its hash commits to, with its event numbers and leaf hashes. */
export interface NewSeal extends SealFields {
  seqs: string[];
  leaves: Buffer;
}

/** The statement that stores a seal; its parameters come from `sealParameters`. */
export const INSERT_SEAL = `INSERT INTO audit_seals (seal_no, sealed_at, tx_from, tx_to, event_count, total_events,
    first_seq, last_seq, seqs, leaves, merkle_root, prev_hash, hash, key_id, signature)
  VALUES ($1, $2, $3::xid8, $4::xid8, $5, $6, $7, $8, $9::bigint[], $10, $11, $12, $13, $14, $15)`;

export function sealParameters(seal: NewSeal, hash: Buffer, signature: Buffer): unknown[] {
  return [
    seal.seal_no,
    seal.sealed_at,
    seal.tx_from,
    seal.tx_to,
    seal.event_count,
    seal.total_events,
    seal.first_seq,
    seal.last_seq,
    seal.seqs,
    seal.leaves,
    seal.merkle_root,
    seal.prev_hash,
    hash,
    seal.key_id,
    signature,
  ];
}

/** The seal's hash: SHA-256 of the canonical JSON of everything it commits to (signed, and chained by the next seal). */
export function sealHash(seal: SealFields, seqsHash: string): Buffer {
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

/**
 * What is wrong with a seal taken alone, or null when the sealing keys made
 * it: its hash does not follow from what it states (`seal_chain`), or its
 * signature is not theirs (`signature`). The runtime role may insert seals;
 * only the key holder makes ones that pass.
 */
export function sealDamage(seal: SealHead, keys: AuditKeys): 'seal_chain' | 'signature' | null {
  if (!sealHash(seal, seal.seqs_hash).equals(seal.hash)) return 'seal_chain';
  return keys.verify(seal.key_id, seal.hash, seal.signature) ? null : 'signature';
}

/** A signed statement of the sealed log's head, meant to be kept outside the database. */
export class Checkpoint {
  @ApiProperty({ description: 'The last event sealed', example: 1040 })
  sealedThrough!: number;

  @ApiProperty({ description: 'Seals in the Merkle tree', example: 12 })
  treeSize!: number;

  @ApiProperty({
    description: 'The Merkle root (hex)',
    example: '3f2a9c0e7b1d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f',
  })
  root!: string;

  @ApiProperty({ format: 'date-time', example: '2026-02-24T00:00:05.000Z' })
  signedAt!: string;

  @ApiProperty({
    description: 'SHA-256 of the public key, base64url',
    example: 'Zk9p2m7QeW4rT1yU8iO3pA6sD5fG0hJ2kL9zX4cV7bN',
  })
  keyId!: string;

  @ApiProperty({
    description: 'The Ed25519 signature of the canonical body',
    example: 'kq3Xb0dCqg2yPqM1f5p7N9yW1rZlq4i8n0hV6sQ2E9t3gJ5c7o0B2d4F6h8j0l2n4p6r8t0v2x4z6B8D0F2H4A',
  })
  signature!: string;
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
