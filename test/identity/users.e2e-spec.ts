import request from 'supertest';
import { eventsOf, rid } from '../support/audit';
import { bearer, createAccount, login, signedIn, type TestAccount, type Tokens } from '../support/identity';
import { runtimeRoleUrl } from '../support/runtime-role';
import { startTestApp, type TestApp } from '../support/test-app';

describe('user administration', () => {
  let t: TestApp;
  let admin: TestAccount & Tokens;
  /** A second admin, to confirm what the first requests. */
  let second: TestAccount & Tokens;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await signedIn(t, 'admin');
    second = await signedIn(t, 'admin');
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

  it('creates an account and never answers its password or hash; an admin account too waits for a second admin', async () => {
    const body = newUser({ role: 'admin', region: undefined, organisation: 'UIKS' });
    const res = await request(t.server).post('/api/v1/users').set(as()).send(body);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      username: body.username,
      displayName: 'Jovana Jovanović',
      role: 'admin',
      organisation: 'UIKS',
      region: null,
      office: null,
      email: 'j.jovanovic@example.rs',
      active: false,
      mfaEnrolled: false,
      passwordMustChange: false,
      lockedUntil: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      version: 1,
      pendingChangeId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(JSON.stringify(res.body)).not.toMatch(/passphrase|argon2/);
    const [row] = await t.dataSource.query(`SELECT password_hash FROM users WHERE id = $1`, [res.body.id]);
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    await expect(login(t, { username: body.username, password: body.password })).rejects.toThrow('401');
    const activated = await request(t.server)
      .post(`/api/v1/users/${res.body.id}/role-changes/${res.body.pendingChangeId}/confirm`)
      .set(bearer(second.accessToken));
    expect(activated.status).toBe(200);
    // Activated, the account signs in with the confirming admin's temporary password, not the creator's.
    await expect(login(t, { username: body.username, password: body.password })).rejects.toThrow('401');
    await expect(login(t, { username: body.username, password: activated.body.temporaryPassword })).rejects.toThrow(
      'password_change_required',
    );
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
    const { pendingChangeId, ...account } = created.body;
    expect(pendingChangeId).toEqual(expect.any(String));
    expect(res.body).toEqual(account);
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
    const requested = await request(t.server)
      .patch(`/api/v1/users/${officer.user.id}`)
      .set(as())
      .set('If-Match', '2')
      .send({ role: 'registry_clerk' });
    expect(requested.status).toBe(202);
    // Pending: the session lives on until another admin confirms.
    expect((await request(t.server).get('/api/v1/auth/me').set(bearer(again.accessToken))).status).toBe(200);
    const clerk = await request(t.server)
      .post(`/api/v1/users/${officer.user.id}/role-changes/${requested.body.id}/confirm`)
      .set(bearer(second.accessToken));
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

  it('reset-mfa of an admin account, once another admin confirms it, removes the authenticator and ends the sessions', async () => {
    const clerk = await signedIn(t, 'admin');
    await t.dataSource.query(`UPDATE users SET mfa_secret = 'v1.x.y.z', mfa_enrolled_at = now() WHERE id = $1`, [
      clerk.user.id,
    ]);
    const held = await request(t.server).post(`/api/v1/users/${clerk.user.id}/reset-mfa`).set(as());
    expect(held.status).toBe(202);
    expect(held.body).toMatchObject({ kind: 'mfa_reset', role: 'admin', status: 'pending' });
    const res = await request(t.server)
      .post(`/api/v1/users/${clerk.user.id}/role-changes/${held.body.id}/confirm`)
      .set(bearer(second.accessToken));
    expect(res.status).toBe(200);
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

  describe('a new account and a reset of one, admin accounts included: by two admins', () => {
    const confirm = (as: Tokens, id: string, changeId: string, requestId = rid('users')) =>
      request(t.server)
        .post(`/api/v1/users/${id}/role-changes/${changeId}/confirm`)
        .set(bearer(as.accessToken))
        .set('X-Request-Id', requestId);
    const signIn = (username: string, password: string) =>
      request(t.server).post('/api/v1/auth/login').send({ username, password });
    const changesOf = (id: string) =>
      t.dataSource.query(
        `SELECT kind, role, region, from_role, requested_by, status, decided_by
           FROM user_role_changes WHERE user_id = $1 ORDER BY requested_at`,
        [id],
      );

    it.each([
      ['registry_clerk', null],
      ['police_officer', 'PU-NIS'],
      ['judicial_officer', null],
      ['auditor', null],
      ['admin', null],
    ])(
      'an admin creates an account of role %s inactive, with a pending activation; another admin confirms it and alone gets its temporary password',
      async (role, region) => {
        const body = newUser({ role, region: region ?? undefined });
        const requestId = rid('create');
        const res = await request(t.server).post('/api/v1/users').set(as()).set('X-Request-Id', requestId).send(body);
        expect(res.status).toBe(201);
        expect(res.body).toMatchObject({ username: body.username, role, region, active: false, version: 1 });
        expect(res.body.pendingChangeId).toMatch(/^[0-9a-f-]{36}$/);
        expect(await changesOf(res.body.id)).toEqual([
          {
            kind: 'activation',
            role,
            region,
            from_role: null,
            requested_by: admin.user.id,
            status: 'pending',
            decided_by: null,
          },
        ]);
        const [event] = await eventsOf(t, requestId);
        expect(event).toMatchObject({ action: 'user.create', outcome: 'allowed', http_status: 201, flagged: true });
        expect(event.details).toEqual({
          after: expect.objectContaining({ role, active: false }),
          pendingChange: res.body.pendingChangeId,
        });

        // The same answer as any inactive account.
        const inactive = await createAccount(t, 'auditor');
        await t.dataSource.query(`UPDATE users SET active = false WHERE id = $1`, [inactive.user.id]);
        const refusedInactive = await signIn(inactive.username, inactive.password);
        const refused = await signIn(body.username, body.password);
        expect(refused.status).toBe(401);
        expect(refused.body).toEqual({ ...refusedInactive.body, instance: refused.body.instance });

        const byCreator = await confirm(admin, res.body.id, res.body.pendingChangeId);
        expect(byCreator.status).toBe(403);
        expect((await signIn(body.username, body.password)).status).toBe(401);

        const confirmRequest = rid('activate');
        const confirmed = await confirm(second, res.body.id, res.body.pendingChangeId, confirmRequest);
        expect(confirmed.status).toBe(200);
        // The confirming admin alone gets the account's first password, a temporary one.
        expect(confirmed.body).toEqual({ temporaryPassword: expect.stringMatching(/^[\w-]{24}$/) });
        const temporaryPassword: string = confirmed.body.temporaryPassword;
        const [confirmEvent] = await eventsOf(t, confirmRequest);
        expect(confirmEvent).toMatchObject({ action: 'user.role_change_confirm', http_status: 200, flagged: true });
        expect(confirmEvent.details).toEqual({
          roleChange: res.body.pendingChangeId,
          kind: 'activation',
          requestedBy: admin.user.id,
          before: expect.objectContaining({ active: false }),
          after: expect.objectContaining({ role, active: true }),
        });
        expect(JSON.stringify(confirmEvent.details)).not.toContain(temporaryPassword);
        expect(
          await t.dataSource.query(
            `SELECT active, role, region, password_must_change, mfa_secret FROM users WHERE id = $1`,
            [res.body.id],
          ),
        ).toEqual([{ active: true, role, region, password_must_change: true, mfa_secret: null }]);
        // The creator's password no longer signs in: 401 like any wrong password.
        const byCreatorPassword = await signIn(body.username, body.password);
        expect(byCreatorPassword.status).toBe(401);
        expect(byCreatorPassword.body).toEqual({ ...refusedInactive.body, instance: byCreatorPassword.body.instance });
        // The temporary password only allows choosing a new one.
        const first = await signIn(body.username, temporaryPassword);
        expect(first.status).toBe(403);
        expect(first.body.type).toBe('urn:register:problem:password_change_required');
        expect(first.body.refreshToken).toBeUndefined();
        // The creator sees it nowhere: not in the account, nor in the list of changes.
        for (const path of [`/api/v1/users/${res.body.id}`, '/api/v1/users/role-changes']) {
          const seen = await request(t.server).get(path).set(as());
          expect(seen.status).toBe(200);
          expect(JSON.stringify(seen.body)).not.toContain(temporaryPassword);
        }
      },
    );

    it('an account awaiting activation is not activated, nor its role or region changed, by PATCH (409)', async () => {
      const created = await request(t.server)
        .post('/api/v1/users')
        .set(as())
        .send(newUser({ role: 'registry_clerk', region: undefined }));
      const id: string = created.body.id;
      for (const [caller, body] of [
        [admin, { active: true }],
        [second, { active: true }],
        [admin, { role: 'admin' }],
        [second, { role: 'auditor' }],
      ] as const) {
        const requestId = rid('activate');
        const res = await request(t.server)
          .patch(`/api/v1/users/${id}`)
          .set(bearer(caller.accessToken))
          .set('If-Match', '1')
          .set('X-Request-Id', requestId)
          .send(body);
        expect(res.status).toBe(409);
        expect(res.body.type).toBe('urn:register:problem:conflict');
        expect(await eventsOf(t, requestId)).toEqual([
          expect.objectContaining({ action: 'user.update', http_status: 409 }),
        ]);
      }
      const [row] = await t.dataSource.query(`SELECT role, active, version FROM users WHERE id = $1`, [id]);
      expect(row).toEqual({ role: 'registry_clerk', active: false, version: 1 });
      expect(await changesOf(id)).toEqual([expect.objectContaining({ kind: 'activation', status: 'pending' })]);
      // A name is not access: it changes.
      const renamed = await request(t.server)
        .patch(`/api/v1/users/${id}`)
        .set(as())
        .set('If-Match', '1')
        .send({ displayName: 'Renamed' });
      expect(renamed.status).toBe(200);
    });

    it('the operator at the command line creates accounts active, admin ones included, with no pending change', async () => {
      for (const role of ['registry_clerk', 'admin'] as const) {
        const byOperator = await createAccount(t, role);
        expect(byOperator.user.active).toBe(true);
        expect(await changesOf(byOperator.user.id)).toEqual([]);
      }
    });

    it('an admin’s password reset of a register account is held; only the confirming admin sees the password', async () => {
      const clerk = await signedIn(t, 'registry_clerk');
      const [{ password_hash: hashBefore }] = await t.dataSource.query(
        `SELECT password_hash FROM users WHERE id = $1`,
        [clerk.user.id],
      );
      const requestId = rid('reset');
      const held = await request(t.server)
        .post(`/api/v1/users/${clerk.user.id}/reset-password`)
        .set(as())
        .set('X-Request-Id', requestId);
      expect(held.status).toBe(202);
      expect(held.body).toMatchObject({ userId: clerk.user.id, kind: 'password_reset', status: 'pending' });
      expect(held.body.temporaryPassword).toBeUndefined();
      expect(await eventsOf(t, requestId)).toEqual([
        expect.objectContaining({
          action: 'user.password_reset_request',
          outcome: 'allowed',
          http_status: 202,
          flagged: true,
          actor_user_id: admin.user.id,
        }),
      ]);
      // Nothing changed yet: the clerk's password and session hold.
      const [{ password_hash: hashHeld }] = await t.dataSource.query(`SELECT password_hash FROM users WHERE id = $1`, [
        clerk.user.id,
      ]);
      expect(hashHeld).toBe(hashBefore);
      expect((await request(t.server).get('/api/v1/auth/me').set(bearer(clerk.accessToken))).status).toBe(200);

      const byRequester = await confirm(admin, clerk.user.id, held.body.id);
      expect(byRequester.status).toBe(403);
      expect(byRequester.body.temporaryPassword).toBeUndefined();
      const byAccount = await confirm(clerk, clerk.user.id, held.body.id);
      expect(byAccount.status).toBe(403);

      const confirmRequest = rid('reset-confirm');
      const confirmed = await confirm(second, clerk.user.id, held.body.id, confirmRequest);
      expect(confirmed.status).toBe(200);
      expect(confirmed.body).toEqual({ temporaryPassword: expect.any(String) });
      const [event] = await eventsOf(t, confirmRequest);
      expect(event).toMatchObject({ action: 'user.role_change_confirm', http_status: 200, flagged: true });
      expect(event.details).toEqual({ roleChange: held.body.id, kind: 'password_reset', requestedBy: admin.user.id });
      expect(JSON.stringify(event.details)).not.toContain(confirmed.body.temporaryPassword);
      expect((await request(t.server).get('/api/v1/auth/me').set(bearer(clerk.accessToken))).status).toBe(401);
      // The temporary password is the clerk's: it buys only the change of password.
      const signedInAgain = await signIn(clerk.username, confirmed.body.temporaryPassword);
      expect(signedInAgain.status).toBe(403);
      expect(signedInAgain.body.type).toBe('urn:register:problem:password_change_required');
      expect((await confirm(second, clerk.user.id, held.body.id)).status).toBe(409);
      expect(await changesOf(clerk.user.id)).toEqual([
        expect.objectContaining({ kind: 'password_reset', status: 'confirmed', decided_by: second.user.id }),
      ]);
    });

    it('two admins confirming one held reset at once: one temporary password, the other 409', async () => {
      const clerk = await createAccount(t, 'registry_clerk');
      const third = await signedIn(t, 'admin');
      const held = await request(t.server).post(`/api/v1/users/${clerk.user.id}/reset-password`).set(as());
      expect(held.status).toBe(202);
      const answers = await Promise.all([second, third].map((by) => confirm(by, clerk.user.id, held.body.id)));
      expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
      const winner = answers.find((r) => r.status === 200)!;
      const signIn = await request(t.server)
        .post('/api/v1/auth/login')
        .send({ username: clerk.username, password: winner.body.temporaryPassword });
      expect(signIn.body.type).toBe('urn:register:problem:password_change_required');
      expect(answers.find((r) => r.status === 409)!.body.temporaryPassword).toBeUndefined();
    });

    it('a held reset sent again with its Idempotency-Key answers the same 202 and body, and holds nothing more', async () => {
      const clerk = await createAccount(t, 'registry_clerk');
      const send = () =>
        request(t.server)
          .post(`/api/v1/users/${clerk.user.id}/reset-password`)
          .set(as())
          .set('Idempotency-Key', `reset-${clerk.user.id}`);
      const first = await send();
      const again = await send();
      expect([first.status, again.status]).toEqual([202, 202]);
      expect(again.body).toEqual(first.body);
      expect(first.body).toMatchObject({ id: expect.any(String), kind: 'password_reset' });
      expect(await changesOf(clerk.user.id)).toEqual([
        expect.objectContaining({ kind: 'password_reset', status: 'pending' }),
      ]);
    });

    it('an admin’s MFA reset of a register account is held until another admin confirms it', async () => {
      const officer = await signedIn(t, 'police_officer', 'PU-NIS');
      await t.dataSource.query(`UPDATE users SET mfa_secret = 'v1.x.y.z', mfa_enrolled_at = now() WHERE id = $1`, [
        officer.user.id,
      ]);
      const requestId = rid('mfa');
      const held = await request(t.server)
        .post(`/api/v1/users/${officer.user.id}/reset-mfa`)
        .set(as())
        .set('X-Request-Id', requestId);
      expect(held.status).toBe(202);
      expect(held.body).toMatchObject({
        kind: 'mfa_reset',
        role: 'police_officer',
        region: 'PU-NIS',
        status: 'pending',
      });
      expect(await eventsOf(t, requestId)).toEqual([
        expect.objectContaining({ action: 'user.mfa_reset_request', http_status: 202, flagged: true }),
      ]);
      const mfa = async () =>
        (await t.dataSource.query(`SELECT mfa_secret FROM users WHERE id = $1`, [officer.user.id]))[0].mfa_secret;
      expect(await mfa()).toBe('v1.x.y.z');
      expect((await confirm(admin, officer.user.id, held.body.id)).status).toBe(403);
      expect(await mfa()).toBe('v1.x.y.z');

      const confirmed = await confirm(second, officer.user.id, held.body.id);
      expect(confirmed.status).toBe(200);
      expect(confirmed.body).toMatchObject({ id: officer.user.id, mfaEnrolled: false });
      expect(await mfa()).toBeNull();
      expect((await request(t.server).get('/api/v1/auth/me').set(bearer(officer.accessToken))).status).toBe(401);
    });

    it('a newer reset request supersedes the pending one of its kind only; all are listed for the admins', async () => {
      const target = await createAccount(t, 'auditor');
      const reset = (as: Tokens, what: string) =>
        request(t.server).post(`/api/v1/users/${target.user.id}/${what}`).set(bearer(as.accessToken));
      const first = await reset(admin, 'reset-password');
      const newer = await reset(second, 'reset-password');
      const mfa = await reset(admin, 'reset-mfa');
      expect([first.status, newer.status, mfa.status]).toEqual([202, 202, 202]);
      expect((await confirm(second, target.user.id, first.body.id)).status).toBe(409);
      expect(await changesOf(target.user.id)).toEqual([
        expect.objectContaining({ kind: 'password_reset', status: 'superseded', decided_by: second.user.id }),
        expect.objectContaining({ kind: 'password_reset', status: 'pending' }),
        expect.objectContaining({ kind: 'mfa_reset', status: 'pending' }),
      ]);
      const list = await request(t.server).get('/api/v1/users/role-changes?limit=100').set(as());
      expect(list.body.items).toEqual(expect.arrayContaining([newer.body, mfa.body]));
    });

    it('the database holds the kinds: an activation has no previous role, and a kind is never rewritten', async () => {
      const target = await createAccount(t, 'auditor');
      const held = await request(t.server).post(`/api/v1/users/${target.user.id}/reset-mfa`).set(as());
      expect(held.status).toBe(202);
      await expect(
        t.dataSource.query(`UPDATE user_role_changes SET kind = 'role' WHERE id = $1`, [held.body.id]),
      ).rejects.toThrow(/only the decision on a role change is written later/);
      await expect(
        t.dataSource.query(
          `INSERT INTO user_role_changes (user_id, kind, role, from_role, requested_by)
           VALUES ($1, 'activation', 'auditor', 'auditor', $2)`,
          [target.user.id, admin.user.id],
        ),
      ).rejects.toThrow(/user_role_changes_from_role_check/);
      await expect(
        t.dataSource.query(
          `INSERT INTO user_role_changes (user_id, kind, role, from_role, requested_by)
           VALUES ($1, 'mfa_reset', 'auditor', 'auditor', $2)`,
          [target.user.id, second.user.id],
        ),
      ).rejects.toThrow(/user_role_changes_pending_key/);
    });

    it('one admin alone gets no second admin account: creating, promoting or resetting one is held', async () => {
      const other = await signedIn(t, 'admin');
      const clerk = await signedIn(t, 'registry_clerk');
      const body = newUser({ role: 'admin', region: undefined });
      const created = await request(t.server).post('/api/v1/users').set(as()).send(body);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ role: 'admin', active: false });
      expect((await signIn(body.username, body.password)).status).toBe(401);

      const promoteRequest = rid('promote');
      const promoted = await request(t.server)
        .patch(`/api/v1/users/${clerk.user.id}`)
        .set(as())
        .set('If-Match', '1')
        .set('X-Request-Id', promoteRequest)
        .send({ role: 'admin' });
      expect(promoted.status).toBe(202);
      expect(promoted.body).toMatchObject({
        kind: 'role',
        role: 'admin',
        fromRole: 'registry_clerk',
        status: 'pending',
      });
      expect(await eventsOf(t, promoteRequest)).toEqual([
        expect.objectContaining({ action: 'user.role_change_request', http_status: 202, flagged: true }),
      ]);
      expect((await request(t.server).get('/api/v1/users').set(bearer(clerk.accessToken))).status).toBe(403);

      const resets: [string, string, string][] = [
        ['reset-password', 'password_reset', rid('reset')],
        ['reset-mfa', 'mfa_reset', rid('mfa')],
      ];
      const held: string[] = [];
      for (const [route, kind, requestId] of resets) {
        const res = await request(t.server)
          .post(`/api/v1/users/${other.user.id}/${route}`)
          .set(as())
          .set('X-Request-Id', requestId);
        expect(res.status).toBe(202);
        expect(res.body).toMatchObject({ kind, role: 'admin', region: null, status: 'pending' });
        expect(res.body.temporaryPassword).toBeUndefined();
        expect(await eventsOf(t, requestId)).toEqual([
          expect.objectContaining({ action: `user.${kind}_request`, http_status: 202, flagged: true }),
        ]);
        held.push(res.body.id);
      }
      // Nothing applied: the other admin's password and session hold.
      expect((await request(t.server).get('/api/v1/auth/me').set(bearer(other.accessToken))).status).toBe(200);
      expect((await signIn(other.username, other.password)).status).toBe(200);

      // The requester confirms none of it; another admin can.
      for (const [id, changeId] of [
        [created.body.id, created.body.pendingChangeId],
        [clerk.user.id, promoted.body.id],
        [other.user.id, held[0]],
      ]) {
        expect((await confirm(admin, id, changeId)).status).toBe(403);
      }
      expect((await confirm(second, created.body.id, created.body.pendingChangeId)).body).toEqual({
        temporaryPassword: expect.any(String),
      });
      expect((await confirm(second, clerk.user.id, promoted.body.id)).body).toMatchObject({ role: 'admin' });
      const reset = await confirm(second, other.user.id, held[0]);
      expect(reset.body).toEqual({ temporaryPassword: expect.any(String) });
      const signedInAgain = await signIn(other.username, reset.body.temporaryPassword);
      expect(signedInAgain.body.type).toBe('urn:register:problem:password_change_required');
      expect((await confirm(second, other.user.id, held[1])).status).toBe(200);
    });
  });

  describe('roles and activity: not one’s own, and every role by two admins', () => {
    const patch = (as: Tokens, id: string, version: number, body: object, requestId = rid('users')) =>
      request(t.server)
        .patch(`/api/v1/users/${id}`)
        .set(bearer(as.accessToken))
        .set('If-Match', `"${version}"`)
        .set('X-Request-Id', requestId)
        .send(body);
    const confirm = (as: Tokens, id: string, changeId: string, requestId = rid('users')) =>
      request(t.server)
        .post(`/api/v1/users/${id}/role-changes/${changeId}/confirm`)
        .set(bearer(as.accessToken))
        .set('X-Request-Id', requestId);
    const accountOf = async (id: string) =>
      (await t.dataSource.query(`SELECT role, region, active, version FROM users WHERE id = $1`, [id]))[0] as {
        role: string;
        region: string | null;
        active: boolean;
        version: number;
      };

    it.each([
      [{ role: 'registry_clerk' }],
      [{ role: 'auditor', displayName: 'Me' }],
      [{ active: false }],
      [{ role: 'police_officer', region: 'PU-NIS' }],
    ])('refuses an admin’s own %j with 403, flagged, and changes nothing', async (body) => {
      const self = await signedIn(t, 'admin');
      const requestId = rid('self');
      const res = await patch(self, self.user.id, 1, body, requestId);
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({
        type: 'urn:register:problem:forbidden',
        detail: 'No one may change their own role, region or active state.',
      });
      expect(await eventsOf(t, requestId)).toEqual([
        expect.objectContaining({ action: 'user.update', outcome: 'denied', http_status: 403, flagged: true }),
      ]);
      expect(await accountOf(self.user.id)).toEqual({ role: 'admin', region: null, active: true, version: 1 });
      expect(await t.dataSource.query(`SELECT 1 FROM user_role_changes WHERE user_id = $1`, [self.user.id])).toEqual(
        [],
      );
    });

    it.each([['reset-password'], ['reset-mfa']])(
      'refuses an admin’s own %s with 403, flagged, and changes nothing',
      async (route) => {
        const self = await signedIn(t, 'admin');
        const [before] = await t.dataSource.query(`SELECT password_hash, version FROM users WHERE id = $1`, [
          self.user.id,
        ]);
        const requestId = rid('self');
        const res = await request(t.server)
          .post(`/api/v1/users/${self.user.id}/${route}`)
          .set(bearer(self.accessToken))
          .set('X-Request-Id', requestId);
        expect(res.status).toBe(403);
        expect(res.body).toMatchObject({
          type: 'urn:register:problem:forbidden',
          detail: 'No one resets their own password or second factor through account administration.',
        });
        expect(await eventsOf(t, requestId)).toEqual([
          expect.objectContaining({ outcome: 'denied', http_status: 403, flagged: true, resource_id: self.user.id }),
        ]);
        expect(
          await t.dataSource.query(`SELECT password_hash, version FROM users WHERE id = $1`, [self.user.id]),
        ).toEqual([before]);
        expect(await t.dataSource.query(`SELECT 1 FROM user_role_changes WHERE user_id = $1`, [self.user.id])).toEqual(
          [],
        );
        expect((await request(t.server).get('/api/v1/auth/me').set(bearer(self.accessToken))).status).toBe(200);
      },
    );

    it('lets an admin change their own name, and send their own role unchanged', async () => {
      const self = await signedIn(t, 'admin');
      const res = await patch(self, self.user.id, 1, { displayName: 'Still admin', role: 'admin', active: true });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ displayName: 'Still admin', role: 'admin', active: true, version: 2 });
    });

    it('a new register role is a pending change (202): the account and its sessions stay as they were', async () => {
      const target = await signedIn(t, 'auditor');
      const requestId = rid('request');
      const res = await patch(admin, target.user.id, 1, { role: 'police_officer', region: 'PU-NIS' }, requestId);
      expect(res.status).toBe(202);
      expect(res.headers.etag).toBeUndefined();
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        userId: target.user.id,
        kind: 'role',
        role: 'police_officer',
        region: 'PU-NIS',
        fromRole: 'auditor',
        fromRegion: null,
        office: null,
        fromOffice: null,
        requestedBy: admin.user.id,
        requestedAt: expect.any(String),
        status: 'pending',
        decidedBy: null,
        decidedAt: null,
      });
      expect(await accountOf(target.user.id)).toEqual({ role: 'auditor', region: null, active: true, version: 1 });
      expect((await request(t.server).get('/api/v1/auth/me').set(bearer(target.accessToken))).status).toBe(200);
      const [event] = await eventsOf(t, requestId);
      expect(event).toMatchObject({
        action: 'user.role_change_request',
        outcome: 'allowed',
        http_status: 202,
        flagged: true,
        actor_user_id: admin.user.id,
        resource_id: target.user.id,
      });
      expect(event.details).toEqual({
        before: expect.objectContaining({ role: 'auditor', region: null }),
        requested: { role: 'police_officer', region: 'PU-NIS', office: null },
        roleChange: res.body.id,
      });

      const list = await request(t.server).get('/api/v1/users/role-changes?limit=100').set(as());
      expect(list.status).toBe(200);
      expect(list.body.items).toContainEqual(res.body);
    });

    it('refuses other changes in the same request as a new register role, and keeps the region rules', async () => {
      const target = await createAccount(t, 'auditor');
      const mixed = await patch(admin, target.user.id, 1, {
        role: 'judicial_officer',
        displayName: 'X',
        active: false,
      });
      expect(mixed.status).toBe(400);
      expect(mixed.body.errors).toEqual([
        { field: 'displayName', message: 'cannot change with a new role; send it separately' },
        { field: 'active', message: 'cannot change with a new role; send it separately' },
      ]);
      const noRegion = await patch(admin, target.user.id, 1, { role: 'police_officer' });
      expect(noRegion.status).toBe(400);
      expect(noRegion.body.errors).toEqual([{ field: 'region', message: 'is required for police officers' }]);
      const stale = await patch(admin, target.user.id, 7, { role: 'registry_clerk' });
      expect(stale.status).toBe(412);
      expect(await t.dataSource.query(`SELECT 1 FROM user_role_changes WHERE user_id = $1`, [target.user.id])).toEqual(
        [],
      );
    });

    it('the requesting admin and the account itself cannot confirm; another admin can, once', async () => {
      // An admin account to be given a register role: it could try to confirm its own change.
      const target = await signedIn(t, 'admin');
      const requested = await patch(admin, target.user.id, 1, { role: 'registry_clerk' });
      expect(requested.status).toBe(202);
      const changeId: string = requested.body.id;

      for (const [who, caller] of [
        ['requester', admin],
        ['account', target],
      ] as const) {
        const requestId = rid(who);
        const refused = await confirm(caller, target.user.id, changeId, requestId);
        expect(refused.status).toBe(403);
        expect(refused.body.type).toBe('urn:register:problem:forbidden');
        expect(await eventsOf(t, requestId)).toEqual([
          expect.objectContaining({
            action: 'user.role_change_confirm',
            outcome: 'denied',
            http_status: 403,
            flagged: true,
            actor_user_id: caller.user.id,
          }),
        ]);
      }
      expect(await accountOf(target.user.id)).toEqual({ role: 'admin', region: null, active: true, version: 1 });

      const requestId = rid('confirm');
      const confirmed = await confirm(second, target.user.id, changeId, requestId);
      expect(confirmed.status).toBe(200);
      expect(confirmed.headers.etag).toBe('"2"');
      expect(confirmed.body).toMatchObject({ id: target.user.id, role: 'registry_clerk', region: null, version: 2 });
      const [event] = await eventsOf(t, requestId);
      expect(event).toMatchObject({
        action: 'user.role_change_confirm',
        outcome: 'allowed',
        http_status: 200,
        flagged: true,
        actor_user_id: second.user.id,
      });
      expect(event.details).toEqual({
        roleChange: changeId,
        kind: 'role',
        requestedBy: admin.user.id,
        before: expect.objectContaining({ role: 'admin' }),
        after: expect.objectContaining({ role: 'registry_clerk' }),
      });
      const [row] = await t.dataSource.query(
        `SELECT status, decided_by, decided_at IS NOT NULL AS decided FROM user_role_changes WHERE id = $1`,
        [changeId],
      );
      expect(row).toEqual({ status: 'confirmed', decided_by: second.user.id, decided: true });
      // The account's sessions ended: its next sign-in carries the new role.
      expect((await request(t.server).get('/api/v1/auth/me').set(bearer(target.accessToken))).status).toBe(401);

      const again = await confirm(second, target.user.id, changeId);
      expect(again.status).toBe(409);
      const elsewhere = await confirm(second, admin.user.id, changeId);
      expect(elsewhere.status).toBe(404);
    });

    it('a newer request, towards admin too, supersedes the pending one', async () => {
      const target = await createAccount(t, 'auditor');
      const first = await patch(admin, target.user.id, 1, { role: 'registry_clerk' });
      const newer = await patch(second, target.user.id, 1, { role: 'judicial_officer' });
      expect([first.status, newer.status]).toEqual([202, 202]);
      expect((await confirm(second, target.user.id, first.body.id)).status).toBe(409);

      const toAdmin = await patch(admin, target.user.id, 1, { role: 'admin' });
      expect(toAdmin.status).toBe(202);
      expect(await accountOf(target.user.id)).toEqual({ role: 'auditor', region: null, active: true, version: 1 });
      expect((await confirm(admin, target.user.id, newer.body.id)).status).toBe(409);
      const rows = await t.dataSource.query(
        `SELECT role, status, decided_by FROM user_role_changes WHERE user_id = $1 ORDER BY requested_at`,
        [target.user.id],
      );
      expect(rows).toEqual([
        { role: 'registry_clerk', status: 'superseded', decided_by: second.user.id },
        { role: 'judicial_officer', status: 'superseded', decided_by: admin.user.id },
        { role: 'admin', status: 'pending', decided_by: null },
      ]);
      const confirmed = await confirm(second, target.user.id, toAdmin.body.id);
      expect(confirmed.status).toBe(200);
      expect(await accountOf(target.user.id)).toEqual({ role: 'admin', region: null, active: true, version: 2 });
    });

    it('the database holds the rule: no confirmation by the requester or the account, no decision taken back', async () => {
      const target = await createAccount(t, 'auditor');
      const requested = await patch(admin, target.user.id, 1, { role: 'registry_clerk' });
      const decide = (by: string) =>
        t.dataSource.query(
          `UPDATE user_role_changes SET status = 'confirmed', decided_by = $2, decided_at = now() WHERE id = $1`,
          [requested.body.id, by],
        );
      await expect(decide(admin.user.id)).rejects.toThrow(/user_role_changes_confirmer_check/);
      await expect(decide(target.user.id)).rejects.toThrow(/user_role_changes_confirmer_check/);
      await expect(
        t.dataSource.query(
          `INSERT INTO user_role_changes (user_id, role, from_role, requested_by) VALUES ($1, 'auditor', 'admin', $1)`,
          [admin.user.id],
        ),
      ).rejects.toThrow(/user_role_changes_requester_check/);
      await decide(second.user.id);
      await expect(
        t.dataSource.query(
          `UPDATE user_role_changes SET status = 'pending', decided_by = NULL, decided_at = NULL WHERE id = $1`,
          [requested.body.id],
        ),
      ).rejects.toThrow(/a decided role change does not change/);
    });

    it('works with the runtime role’s grants, which cannot rewrite a request', async () => {
      const url = await runtimeRoleUrl(t, 'register_test_role_changes', 'role-changes-runtime-password');
      const runtime = await startTestApp({ DATABASE_URL: url }, [], t.database);
      try {
        const [one, other] = [await signedIn(runtime, 'admin'), await signedIn(runtime, 'admin')];
        const target = await createAccount(runtime, 'auditor');
        const send = (as: Tokens, body: object) =>
          request(runtime.server)
            .patch(`/api/v1/users/${target.user.id}`)
            .set(bearer(as.accessToken))
            .set('If-Match', '1')
            .send(body);
        const first = await send(one, { role: 'judicial_officer' });
        const newer = await send(one, { role: 'registry_clerk' });
        expect([first.status, newer.status]).toEqual([202, 202]);
        const confirmed = await request(runtime.server)
          .post(`/api/v1/users/${target.user.id}/role-changes/${newer.body.id}/confirm`)
          .set(bearer(other.accessToken));
        expect(confirmed.status).toBe(200);
        expect(confirmed.body.role).toBe('registry_clerk');
        await expect(
          runtime.dataSource.query(`UPDATE user_role_changes SET role = 'auditor' WHERE id = $1`, [newer.body.id]),
        ).rejects.toThrow(/permission denied/);
        await expect(
          runtime.dataSource.query(`DELETE FROM user_role_changes WHERE id = $1`, [first.body.id]),
        ).rejects.toThrow(/permission denied/);
      } finally {
        await runtime.close();
      }
    });
  });
});
