import { createHash } from 'node:crypto';

const sha256 = (...parts: Buffer[]): Buffer => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** RFC 6962 leaf hash: SHA-256(0x00 || data). */
export function leafHash(data: Buffer): Buffer {
  return sha256(LEAF_PREFIX, data);
}

/**
 * RFC 6962 Merkle tree hash over leaf hashes in order: the empty tree is
 * SHA-256 of nothing; a node is SHA-256(0x01 || left || right), the left
 * subtree holding the largest power of two below n leaves.
 */
export function merkleRoot(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return sha256();
  // Bottom-up pairing gives the same tree as RFC 6962's split: an odd last node is promoted unchanged.
  let level = leaves;
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(i + 1 < level.length ? sha256(NODE_PREFIX, level[i], level[i + 1]) : level[i]);
    }
    level = next;
  }
  return level[0];
}

/** Splits the concatenated 32-byte leaf hashes stored with a seal. */
export function splitLeaves(concatenated: Buffer): Buffer[] {
  const leaves: Buffer[] = [];
  for (let offset = 0; offset < concatenated.length; offset += 32)
    leaves.push(concatenated.subarray(offset, offset + 32));
  return leaves;
}
