import request from 'supertest';
import { bearer, login, signedIn, type TestAccount, type Tokens } from '../support/identity';
import { startTestApp, type TestApp } from '../support/test-app';

describe('user administration', () => {
  let t: TestApp;
  let admin: TestAccount & Tokens;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await signedIn(t, 'admin');
  });

  afterAll(async () => {
    await t.close();
  });

  const as = () => bearer(admin.accessToken);
  const newUser = (overrides: object = {}) => ({
    username: `officer.${Math.random().toString(36).slice(2, 8)}`,
    password: 'a long enough passphrase',
    displayName: 'Jovana Jovanović',
    role: 'police_officer',
    organisation: 'MUP, PU Niš',
    region: 'PU-NIS',
    email: 'j.jovanovic@example.rs',
    ...overrides,
  });

  it('creates an account and never answers its password or hash', async () => {
    const body = newUser();
    const res = await request(t.server).post('/api/v1/users').set(as()).send(body);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      username: body.username,
      displayName: 'Jovana Jovanović',
      role: 'police_officer',
      organisation: 'MUP, PU Niš',
      region: 'PU-NIS',
      email: 'j.jovanovic@example.rs',
      active: true,
      mfaEnrolled: false,
      passwordMustChange: false,
      lockedUntil: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      version: 1,
    });
    expect(JSON.stringify(res.body)).not.toMatch(/passphrase|argon2/);
    const [row] = await t.dataSource.query(`SELECT password_hash FROM users WHERE id = $1`, [res.body.id]);
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    await login(t, { username: body.username, password: body.password });
  });

  it('refuses a username taken in another case with 409', async () => {
    const body = newUser();
    expect((await request(t.server).post('/api/v1/users').set(as()).send(body)).status).toBe(201);
    const again = await request(t.server)
      .post('/api/v1/users')
      .set(as())
      .send({ ...body, username: body.username.toUpperCase() });
    expect(again.status).toBe(409);
    expect(again.body.type).toBe('urn:register:problem:conflict');
  });

  it.each([
    [{ region: undefined }, [{ field: 'region', message: 'is required for police officers' }]],
    [{ region: 'PU-ATLANTIDA' }, [{ field: 'region', message: 'is not a known police administration code' }]],
    [{ role: 'auditor' }, [{ field: 'region', message: 'must be empty for the role auditor' }]],
    [{ password: 'qwertyuiop123' }, [{ field: 'password', message: 'is a commonly used password; choose another' }]],
  ])('refuses %j with field errors and creates nothing', async (overrides, errors) => {
    const body = newUser(overrides);
    const res = await request(t.server).post('/api/v1/users').set(as()).send(body);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(errors);
    const rows = await t.dataSource.query(`SELECT 1 FROM users WHERE username = $1`, [body.username]);
    expect(rows).toHaveLength(0);
  });

  it('refuses malformed values before looking anything up', async () => {
    const res = await request(t.server)
      .post('/api/v1/users')
      .set(as())
      .send(newUser({ username: 'a b', role: 'root', email: 'nope', region: 'nis' }));
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'email',
      'region',
      'role',
      'username',
    ]);
  });

  it('reads one account with its version as ETag; an unknown or malformed id is 404', async () => {
    const created = await request(t.server).post('/api/v1/users').set(as()).send(newUser());
    const res = await request(t.server).get(`/api/v1/users/${created.body.id}`).set(as());
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"1"');
    expect(res.body).toEqual(created.body);
    expect((await request(t.server).get('/api/v1/users/00000000-0000-4000-8000-000000000000').set(as())).status).toBe(
      404,
    );
    expect((await request(t.server).get('/api/v1/users/not-a-uuid').set(as())).status).toBe(404);
  });

  it('PATCH needs If-Match (428), refuses a stale one (412), and applies a current one', async () => {
    const created = await request(t.server).post('/api/v1/users').set(as()).send(newUser());
    const url = `/api/v1/users/${created.body.id}`;
    const missing = await request(t.server).patch(url).set(as()).send({ displayName: 'X' });
    expect(missing.status).toBe(428);
    expect(missing.body.type).toBe('urn:register:problem:precondition_required');

    const ok = await request(t.server).patch(url).set(as()).set('If-Match', '"1"').send({ displayName: 'Jovana J.' });
    expect(ok.status).toBe(200);
    expect(ok.headers.etag).toBe('"2"');
    expect(ok.body).toMatchObject({ displayName: 'Jovana J.', version: 2 });

    const stale = await request(t.server).patch(url).set(as()).set('If-Match', 'W/"1"').send({ displayName: 'Y' });
    expect(stale.status).toBe(412);
    expect(stale.body.type).toBe('urn:register:problem:version_mismatch');
    const [row] = await t.dataSource.query(`SELECT display_name, version FROM users WHERE id = $1`, [created.body.id]);
    expect(row).toEqual({ display_name: 'Jovana J.', version: 2 });
  });

  it('two concurrent PATCHes at the same version: one 200, one 412', async () => {
    const created = await request(t.server).post('/api/v1/users').set(as()).send(newUser());
    const url = `/api/v1/users/${created.body.id}`;
    const answers = await Promise.all(
      ['A', 'B'].map((name) => request(t.server).patch(url).set(as()).set('If-Match', '1').send({ displayName: name })),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([200, 412]);
  });

  it('a role or region change, and deactivation, end the account’s sessions', async () => {
    const officer = await signedIn(t, 'police_officer', 'PU-NIS');
    const moved = await request(t.server)
      .patch(`/api/v1/users/${officer.user.id}`)
      .set(as())
      .set('If-Match', '1')
      .send({ region: 'PU-NOVI-SAD' });
    expect(moved.status).toBe(200);
    expect(moved.body.region).toBe('PU-NOVI-SAD');
    expect((await request(t.server).get('/api/v1/auth/me').set(bearer(officer.accessToken))).status).toBe(401);

    const again = await login(t, officer);
    const clerk = await request(t.server)
      .patch(`/api/v1/users/${officer.user.id}`)
      .set(as())
      .set('If-Match', '2')
      .send({ role: 'registry_clerk' });
    expect(clerk.status).toBe(200);
    expect(clerk.body).toMatchObject({ role: 'registry_clerk', region: null });
    expect((await request(t.server).get('/api/v1/auth/me').set(bearer(again.accessToken))).status).toBe(401);

    const third = await login(t, officer);
    const off = await request(t.server)
      .patch(`/api/v1/users/${officer.user.id}`)
      .set(as())
      .set('If-Match', '3')
      .send({ active: false });
    expect(off.status).toBe(200);
    expect((await request(t.server).get('/api/v1/auth/me').set(bearer(third.accessToken))).status).toBe(401);
    await expect(login(t, officer)).rejects.toThrow('401');
    const reasons = await t.dataSource.query(
      `SELECT revoked_reason FROM sessions WHERE user_id = $1 ORDER BY created_at`,
      [officer.user.id],
    );
    expect(reasons.map((r: { revoked_reason: string }) => r.revoked_reason)).toEqual([
      'role_changed',
      'role_changed',
      'deactivated',
    ]);
  });

  it('reset-mfa removes the authenticator and ends the sessions', async () => {
    const clerk = await signedIn(t, 'registry_clerk');
    await t.dataSource.query(`UPDATE users SET mfa_secret = 'v1.x.y.z', mfa_enrolled_at = now() WHERE id = $1`, [
      clerk.user.id,
    ]);
    const res = await request(t.server).post(`/api/v1/users/${clerk.user.id}/reset-mfa`).set(as());
    expect(res.status).toBe(204);
    const [row] = await t.dataSource.query(`SELECT mfa_secret, mfa_enrolled_at FROM users WHERE id = $1`, [
      clerk.user.id,
    ]);
    expect(row).toEqual({ mfa_secret: null, mfa_enrolled_at: null });
    expect((await request(t.server).get('/api/v1/auth/me').set(bearer(clerk.accessToken))).status).toBe(401);
  });

  it('lists accounts with filters and keyset pagination', async () => {
    const region = 'PU-PIROT';
    for (let i = 0; i < 3; i++) {
      await request(t.server).post('/api/v1/users').set(as()).send(newUser({ region }));
    }
    const first = await request(t.server).get(`/api/v1/users?role=police_officer&region=${region}&limit=2`).set(as());
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await request(t.server)
      .get(`/api/v1/users?role=police_officer&region=${region}&limit=2&cursor=${first.body.nextCursor}`)
      .set(as());
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    const names = [...first.body.items, ...second.body.items].map((u: { username: string }) => u.username);
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(3);

    expect((await request(t.server).get('/api/v1/users?active=maybe').set(as())).status).toBe(400);
    expect((await request(t.server).get('/api/v1/users?cursor=bm90LWpzb24').set(as())).status).toBe(400);
    expect((await request(t.server).get('/api/v1/users?limit=101').set(as())).status).toBe(400);
    expect((await request(t.server).get('/api/v1/users?sort=name').set(as())).status).toBe(400);
  });
});
