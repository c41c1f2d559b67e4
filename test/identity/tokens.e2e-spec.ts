import { createHmac, generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { IdentitySecrets } from '@app/identity';
import { bearer, signedIn, type TestAccount, type Tokens } from '../support/identity';
import { startTestApp, type TestApp } from '../support/test-app';

const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('access tokens', () => {
  let t: TestApp;
  let admin: TestAccount & Tokens;
  let claims: Record<string, unknown>;
  let secrets: IdentitySecrets;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await signedIn(t, 'admin');
    secrets = t.app.get(IdentitySecrets);
    claims = jwt.decode(admin.accessToken) as Record<string, unknown>;
  });

  afterAll(async () => {
    await t.close();
  });

  const call = (token: string) => request(t.server).get('/api/v1/users').set(bearer(token));

  /** Signs `payload` with the service's own key, as a valid token would be (`iat` added unless it is to be left out). */
  const signed = (payload: Record<string, unknown>, options: { noTimestamp?: boolean } = {}): string =>
    jwt.sign(payload, secrets.signing.privateKey, {
      algorithm: 'ES256',
      keyid: secrets.signing.kid,
      header: { alg: 'ES256' },
      ...options,
    });

  /** The genuine token's claims without `name`. */
  const without = (name: string): Record<string, unknown> =>
    Object.fromEntries(Object.entries(claims).filter(([key]) => key !== name));

  it('accepts the genuine token', async () => {
    expect((await call(admin.accessToken)).status).toBe(200);
  });

  it('accepts a token the service’s key signs with the same claims (the control for the cases below)', async () => {
    const { iat: _iat, ...rest } = claims;
    expect((await call(signed(rest))).status).toBe(200);
  });

  const refused: [string, () => string][] = [
    ['no token at all', () => ''],
    ['a malformed token', () => 'not.a.token'],
    ['alg none', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`],
    [
      'a tampered payload (role changed, signature kept)',
      () => {
        const [header, , signature] = admin.accessToken.split('.');
        return `${header}.${b64({ ...claims, role: 'registry_clerk' })}.${signature}`;
      },
    ],
    [
      'HS256 signed with the public key',
      () => {
        const pem = secrets.signing.publicKey.export({ format: 'pem', type: 'spki' }).toString();
        const head = b64({ alg: 'HS256', typ: 'JWT', kid: secrets.signing.kid });
        const body = b64(claims);
        const signature = createHmac('sha256', pem).update(`${head}.${body}`).digest('base64url');
        return `${head}.${body}.${signature}`;
      },
    ],
    ['a wrong issuer', () => signed({ ...claims, iss: 'someone-else' })],
    ['a wrong audience', () => signed({ ...claims, aud: 'another-api' })],
    [
      'an expired token',
      () => signed({ ...claims, iat: Math.floor(Date.now() / 1000) - 1000, exp: Math.floor(Date.now() / 1000) - 10 }),
    ],
    [
      'an unknown kid (another key)',
      () => {
        const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
        return jwt.sign(claims, other, { algorithm: 'ES256', keyid: 'not-our-key' });
      },
    ],
    [
      'our kid on a token signed by another key',
      () => {
        const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
        return jwt.sign(claims, other, { algorithm: 'ES256', keyid: secrets.signing.kid });
      },
    ],
    ['a role that does not exist', () => signed({ ...claims, role: 'superuser' })],
    // Signed with the real key, but incomplete: a token without `exp` would never end.
    ['our key’s token without exp', () => signed(without('exp'))],
    ['our key’s token without iat', () => signed(without('iat'), { noTimestamp: true })],
    ['our key’s token without sub', () => signed(without('sub'))],
    ['our key’s token without sid', () => signed(without('sid'))],
    ['our key’s token with an empty sub', () => signed({ ...claims, sub: '' })],
  ];

  it.each(refused)('refuses %s with 401 unauthenticated', async (_name, make) => {
    const res = await request(t.server)
      .get('/api/v1/users')
      .set(make() ? bearer(make()) : {});
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toEqual({
      type: 'urn:register:problem:unauthenticated',
      title: 'Authentication is required',
      status: 401,
      detail: 'A valid access token is required.',
      instance: '/api/v1/users',
    });
  });

  it('refuses a token whose session was revoked, by every route', async () => {
    const other = await signedIn(t, 'admin');
    const res = await request(t.server)
      .post(`/api/v1/users/${other.user.id}/revoke-sessions`)
      .set(bearer(admin.accessToken));
    expect(res.status).toBe(204);
    expect((await call(other.accessToken)).status).toBe(401);
    expect((await request(t.server).get('/api/v1/auth/me').set(bearer(other.accessToken))).status).toBe(401);
  });

  it('publishes only public keys in the JWKS, with the kid tokens carry', async () => {
    const res = await request(t.server).get('/.well-known/jwks.json');
    expect(res.status).toBe(200);
    expect(res.body.keys).toHaveLength(1);
    const [key] = res.body.keys;
    expect(key).toEqual({
      kty: 'EC',
      crv: 'P-256',
      x: expect.any(String),
      y: expect.any(String),
      kid: secrets.signing.kid,
      alg: 'ES256',
      use: 'sig',
    });
    expect(key.d).toBeUndefined();
    expect((jwt.decode(admin.accessToken, { complete: true }) as jwt.Jwt).header.kid).toBe(key.kid);
  });
});
