import request from 'supertest';
import { AuditSealer, AuditVerifier } from '@app/audit';
import { bearer, signedIn } from '../support/identity';
import { untilWatermarkPasses } from '../support/audit';
import { runtimeRoleUrl } from '../support/runtime-role';
import { startTestApp, type TestApp } from '../support/test-app';

const LOGIN = 'register_test_runtime';

describe('the service running as the runtime role', () => {
  let owner: TestApp;
  let t: TestApp;

  beforeAll(async () => {
    owner = await startTestApp();
    const url = await runtimeRoleUrl(owner, LOGIN, 'runtime-role-test-password');
    t = await startTestApp({ DATABASE_URL: url }, [], owner.database);
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
    // A register account created by an admin is activated by another.
    const activated = await request(t.server)
      .post(`/api/v1/users/${created.body.id}/role-changes/${created.body.pendingChangeId}/confirm`)
      .set(bearer((await signedIn(t, 'admin')).accessToken));
    expect(activated.status).toBe(200);
    // The account's first password is the confirming admin's temporary one; its user chooses their own.
    const first = await request(t.server)
      .post('/api/v1/auth/login')
      .send({ username: 'runtime.clerk', password: activated.body.temporaryPassword });
    expect(first.status).toBe(403);
    expect(
      (
        await request(t.server)
          .post('/api/v1/auth/password')
          .set(bearer(first.body.accessToken))
          .send({ currentPassword: activated.body.temporaryPassword, newPassword: 'a long enough passphrase' })
      ).status,
    ).toBe(204);
    const patched = await request(t.server)
      .patch(`/api/v1/users/${created.body.id}`)
      .set(bearer(admin.accessToken))
      // Version 3: created, activated, its password chosen.
      .set('If-Match', '3')
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

    await untilWatermarkPasses(t);
    expect(await t.app.get(AuditSealer).sealOnce()).toMatchObject({ sealNo: 1 });
    expect(await t.app.get(AuditVerifier).verify()).toMatchObject({ ok: true });
    await expect(t.dataSource.query(`DELETE FROM audit_events`)).rejects.toThrow(/permission denied/);
    await expect(t.dataSource.query(`UPDATE audit_seals SET key_id = 'x'`)).rejects.toThrow(/permission denied/);
  });
});
