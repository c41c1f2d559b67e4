import request from 'supertest';
import pg from 'pg';
import { AuditSealer, AuditVerifier } from '@app/audit';
import { bearer, signedIn } from '../support/identity';
import { startTestApp, type TestApp } from '../support/test-app';

const LOGIN = 'register_test_runtime';
const PASSWORD = 'runtime-role-test-password';

/** The same database, reached as a login role that is only a member of register_app. */
function asRuntimeRole(url: string): string {
  const u = new URL(url);
  u.username = LOGIN;
  u.password = PASSWORD;
  return u.toString();
}

describe('the service running as the runtime role', () => {
  let owner: TestApp;
  let t: TestApp;

  beforeAll(async () => {
    owner = await startTestApp();
    const client = new pg.Client({ connectionString: owner.database.url });
    await client.connect();
    await client.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${LOGIN}') THEN
          CREATE ROLE ${LOGIN} LOGIN PASSWORD '${PASSWORD}' IN ROLE register_app;
        END IF;
      END $$`);
    await client.end();
    t = await startTestApp({ DATABASE_URL: asRuntimeRole(owner.database.url) }, [], owner.database);
  });

  afterAll(async () => {
    await t?.close();
    await owner.close();
  });

  it('works with only the grants of register_app: accounts, sign-in, audit, sealing', async () => {
    const [{ current_user: user }] = await t.dataSource.query('SELECT current_user');
    expect(user).toBe(LOGIN);
    const admin = await signedIn(t, 'admin');
    const created = await request(t.server).post('/api/v1/users').set(bearer(admin.accessToken)).send({
      username: 'runtime.clerk',
      password: 'a long enough passphrase',
      displayName: 'R',
      role: 'registry_clerk',
      organisation: 'UIKS',
    });
    expect(created.status).toBe(201);
    const patched = await request(t.server)
      .patch(`/api/v1/users/${created.body.id}`)
      .set(bearer(admin.accessToken))
      .set('If-Match', '1')
      .send({ displayName: 'Runtime clerk' });
    expect(patched.status).toBe(200);
    const session = await request(t.server)
      .post('/api/v1/auth/login')
      .send({ username: 'runtime.clerk', password: 'a long enough passphrase' });
    expect(session.status).toBe(200);
    expect(
      (await request(t.server).post('/api/v1/auth/refresh').send({ refreshToken: session.body.refreshToken })).status,
    ).toBe(200);
    expect((await request(t.server).get('/health/ready')).status).toBe(200);

    expect(await t.app.get(AuditSealer).sealOnce()).toMatchObject({ sealNo: 1 });
    expect(await t.app.get(AuditVerifier).verify()).toMatchObject({ ok: true });
    await expect(t.dataSource.query(`DELETE FROM audit_events`)).rejects.toThrow(/permission denied/);
    await expect(t.dataSource.query(`UPDATE audit_seals SET key_id = 'x'`)).rejects.toThrow(/permission denied/);
  });
});
