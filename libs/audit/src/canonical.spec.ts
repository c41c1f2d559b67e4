import { canonicalJson } from './canonical';

describe('canonicalJson', () => {
  it('sorts keys at every depth, keeps the order of lists, and writes no spaces', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }, 3], c: null } })).toBe(
      '{"a":{"c":null,"d":[{"y":2,"z":1},3]},"b":1}',
    );
  });

  it('gives one text whatever order the keys were written in (a package read back from jsonb)', () => {
    expect(canonicalJson({ x: { q: 'č', p: true }, w: 'a' })).toBe(canonicalJson({ w: 'a', x: { p: true, q: 'č' } }));
  });

  it('writes dates as ISO text and leaves undefined out, as JSON does', () => {
    expect(canonicalJson({ at: new Date('2026-12-03T10:00:00Z'), gone: undefined })).toBe(
      '{"at":"2026-12-03T10:00:00.000Z"}',
    );
  });

  it('is, for a flat object, what seals have always signed', () => {
    const flat = { sealNo: 2, keyId: 'k', prevHash: 'ab' };
    expect(canonicalJson(flat)).toBe('{"keyId":"k","prevHash":"ab","sealNo":2}');
  });
});
