import { createHash, hash } from 'node:crypto';

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = 0x01;
const SIZE = 32;

/** RFC 6962 leaf hash: SHA-256(0x00 || data). */
export function leafHash(data: Buffer): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(data).digest();
}

/**
 * RFC 6962 Merkle tree hash over leaf hashes in order, given concatenated
 * (32 bytes each): the empty tree is SHA-256 of nothing; a node is
 * SHA-256(0x01 || left || right), the left subtree holding the largest power
 * of two below n leaves. Bottom-up pairing gives the same tree: an odd last
 * node is promoted unchanged. Each level is one buffer, so ten million
 * leaves make a few dozen objects, not tens of millions.
 */
export function merkleRoot(leaves: Buffer): Buffer {
  let count = leaves.length / SIZE;
  if (!Number.isInteger(count)) throw new Error('leaf hashes must be 32 bytes each');
  if (count === 0) return hash('sha256', Buffer.alloc(0), 'buffer');
  const pair = Buffer.allocUnsafe(1 + 2 * SIZE);
  pair[0] = NODE_PREFIX;
  let level = leaves;
  while (count > 1) {
    const next = Buffer.allocUnsafe(Math.ceil(count / 2) * SIZE);
    for (let i = 0; i < count; i += 2) {
      const at = (i / 2) * SIZE;
      if (i + 1 < count) {
        level.copy(pair, 1, i * SIZE, (i + 2) * SIZE);
        hash('sha256', pair, 'buffer').copy(next, at);
      } else {
        level.copy(next, at, i * SIZE, (i + 1) * SIZE);
      }
    }
    level = next;
    count = Math.ceil(count / 2);
  }
  return Buffer.from(level.subarray(0, SIZE));
}

/** Splits the concatenated 32-byte leaf hashes stored with a seal. */
export function splitLeaves(concatenated: Buffer): Buffer[] {
  const leaves: Buffer[] = [];
  for (let offset = 0; offset < concatenated.length; offset += SIZE)
    leaves.push(concatenated.subarray(offset, offset + SIZE));
  return leaves;
}
