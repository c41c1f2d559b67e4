import { isComplete } from './access-tokens';

describe('isComplete', () => {
  const claims = {
    sub: '7c6e1d44-5b8f-4a43-9a53-0f3d2f2f1b11',
    sid: 'f0e7a9de-2f7e-4c3c-8f4c-3a4c1b7e9d20',
    role: 'registry_clerk',
    iat: 1_800_000_000,
    exp: 1_800_000_900,
  };

  it('accepts the claims every token the service signs carries', () => {
    expect(isComplete(claims)).toBe(true);
  });

  it.each([
    ['no exp', { exp: undefined }],
    ['no iat', { iat: undefined }],
    ['no sub', { sub: undefined }],
    ['no sid', { sid: undefined }],
    ['an empty sub', { sub: '' }],
    ['an empty sid', { sid: '' }],
    ['exp as text', { exp: '1800000900' }],
    ['a fractional iat', { iat: 1_800_000_000.5 }],
    ['exp beyond a safe integer', { exp: 2 ** 60 }],
    ['sub as a number', { sub: 42 }],
    ['a role that does not exist', { role: 'superuser' }],
  ])('refuses %s', (_name, change) => {
    expect(isComplete({ ...claims, ...change })).toBe(false);
  });
});
