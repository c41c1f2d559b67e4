import { createHash } from 'node:crypto';
import { leafHash, merkleRoot as rootOf } from './merkle';

const merkleRoot = (leaves: Buffer[]) => rootOf(Buffer.concat(leaves));

const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const node = (l: Buffer, r: Buffer) => sha(Buffer.from([1]), l, r);

/** RFC 6962's recursive definition, to check the iterative one against. */
function reference(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return sha();
  if (leaves.length === 1) return leaves[0];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return node(reference(leaves.slice(0, k)), reference(leaves.slice(k)));
}

describe('merkleRoot (RFC 6962)', () => {
  const leaves = Array.from({ length: 40 }, (_, i) => leafHash(Buffer.from(`event ${i}`)));

  it('hashes leaves with the 0x00 prefix', () => {
    expect(leafHash(Buffer.from('x'))).toEqual(sha(Buffer.from([0]), Buffer.from('x')));
  });

  it('gives SHA-256 of nothing for the empty tree and the leaf itself for one', () => {
    expect(merkleRoot([]).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(merkleRoot([leaves[0]])).toEqual(leaves[0]);
  });

  it('agrees with the recursive definition for every size up to 40', () => {
    for (let n = 0; n <= leaves.length; n++)
      expect(merkleRoot(leaves.slice(0, n))).toEqual(reference(leaves.slice(0, n)));
  });

  it('changes when a leaf changes, is removed, or two leaves swap', () => {
    const root = merkleRoot(leaves);
    expect(merkleRoot([...leaves.slice(0, 5), leafHash(Buffer.from('forged')), ...leaves.slice(6)])).not.toEqual(root);
    expect(merkleRoot(leaves.slice(1))).not.toEqual(root);
    const swapped = [...leaves];
    [swapped[3], swapped[4]] = [swapped[4], swapped[3]];
    expect(merkleRoot(swapped)).not.toEqual(root);
  });
});
