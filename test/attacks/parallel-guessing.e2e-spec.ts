import { jest } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import { generateSync } from 'otplib';
import request from 'supertest';
import { PasswordHasher } from '@app/identity';
import { tally } from '../support/audit';
import { bearer, createAccount, login, signedIn, type TestAccount } from '../support/identity';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Hardening (#14, 1): guesses sent at once, on real connections, are bounded
 * like guesses sent one by one. Every attempt claims a slot of its account in
 * the database before anything is checked, so at most LOGIN_MAX_FAILURES
 * passwords or codes are ever checked in a window, whatever the concurrency,
 * and a right password racing the lock neither signs in nor clears it.
 */

const MAX = 5;

const REFUSED = {
  type: 'urn:register:problem:unauthenticated',
  title: 'Authentication is required',
  status: 401,
  detail: 'The username or password is not correct.',
  instance: '/api/v1/auth/login',
};

describe('guessing in parallel', () => {
  let t: TestApp;
  let base: string;
  /** The passwords checked against an account's real hash (not the dummy one), in order. */
  const checked: string[] = [];
  /** When set, a check of that password waits until `open()` (after calling `entered()`). */
  let gate: { password: string; entered: () => void; opened: Promise<void>; open: () => void } | null = null;

  beforeAll(async () => {
    t = await startTestApp({
      RATE_LIMIT_MAX: '100000',
      LOGIN_MAX_FAILURES: String(MAX),
      LOGIN_LOCK_MINUTES: '15',
    });
    // A real port: every request below is its own connection, all in flight at once.
    await new Promise<void>((resolve) => t.server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(t.server.address() as AddressInfo).port}`;
    const hasher = t.app.get(PasswordHasher);
    const verify = hasher.verify.bind(hasher);
    jest.spyOn(hasher, 'verify').mockImplementation(async (hashed: string | null, password: string) => {
      if (hashed !== null) {
        checked.push(password);
        if (gate?.password === password) {
          gate.entered();
          await gate.opened;
        }
      }
      return verify(hashed, password);
    });
  });

  afterAll(async () => {
    await t.close();
  });

  beforeEach(() => {
    checked.length = 0;
  });

  afterEach(() => {
    // A failed test must not leave a request held (closing the app would wait for it).
    gate?.open();
    gate = null;
  });

  const signIn = (body: { username: string; password: string; otp?: string }) =>
    request(base).post('/api/v1/auth/login').send(body);

  async function lockOf(userId: string): Promise<{ failed_logins: number; minutes: string | null }> {
    const [row] = await t.dataSource.query(
      `SELECT failed_logins, round(extract(epoch FROM locked_until - now()) / 60) AS minutes FROM users WHERE id = $1`,
      [userId],
    );
    return row;
  }

  /** The sign-in events of the account, by action and flag. */
  async function eventsOfAccount(userId: string): Promise<Record<string, number>> {
    const rows: { action: string; flagged: boolean; count: number }[] = await t.dataSource.query(
      `SELECT action, flagged, count(*)::int AS count FROM audit_events
        WHERE resource_type = 'user' AND resource_id = $1 AND action IN ('auth.login', 'auth.login_failed', 'auth.lockout')
        GROUP BY action, flagged ORDER BY action`,
      [userId],
    );
    return Object.fromEntries(rows.map((r) => [`${r.action}${r.flagged ? ' (flagged)' : ''}`, r.count]));
  }

  async function enrolled(): Promise<TestAccount & { secret: string }> {
    const account = await signedIn(t, 'registry_clerk');
    const enroll = await request(base).post('/api/v1/auth/mfa/enroll').set(bearer(account.accessToken));
    expect(enroll.status).toBe(200);
    const secret: string = enroll.body.secret;
    const activate = await request(base)
      .post('/api/v1/auth/mfa/activate')
      .set(bearer(account.accessToken))
      .send({ otp: generateSync({ secret, epoch: Math.floor(Date.now() / 1000) - 30 }) });
    expect(activate.status).toBe(204);
    return { ...account, secret };
  }

  /** `count` six-digit codes that are not valid now (nor one period either side). */
  function wrongCodes(secret: string, count: number): string[] {
    const now = Math.floor(Date.now() / 1000);
    const valid = new Set([-60, -30, 0, 30, 60].map((shift) => generateSync({ secret, epoch: now + shift })));
    const codes: string[] = [];
    for (let n = 100_000; codes.length < count; n += 4_999) {
      const code = String(n % 1_000_000).padStart(6, '0');
      if (!valid.has(code)) codes.push(code);
    }
    return codes;
  }

  it('100 sign-ins at once, 99 wrong then the right one: 5 passwords are checked, none signs in, the account is locked', async () => {
    const account = await createAccount(t, 'registry_clerk');
    const bodies = [
      ...Array.from({ length: 99 }, (_, i) => ({ username: account.username, password: `wrong-password-${i}` })),
      { username: account.username, password: account.password },
    ];
    const answers = await Promise.all(bodies.map((body) => signIn(body)));
    console.log(
      `100 parallel sign-ins: statuses ${JSON.stringify(tally(answers.map((r) => r.status)))}, ` +
        `${checked.length} passwords checked against the account's hash`,
    );

    expect(tally(answers.map((r) => r.status))).toEqual({ 401: 100 });
    for (const res of answers) expect(res.body).toEqual(REFUSED);
    expect(checked).toHaveLength(MAX);
    expect(checked).not.toContain(account.password);
    expect(await lockOf(account.user.id)).toEqual({ failed_logins: MAX, minutes: '15' });
    expect(await eventsOfAccount(account.user.id)).toEqual({
      'auth.login_failed': 99,
      'auth.lockout (flagged)': 1,
    });

    // During the lock the right password answers as a wrong one, and is not even checked.
    const during = await signIn({ username: account.username, password: account.password });
    expect({ status: during.status, body: during.body }).toEqual({ status: 401, body: REFUSED });
    expect(checked).toHaveLength(MAX);

    // When the lock has run out, a new window: the right password signs in and the count starts again.
    await t.dataSource.query(`UPDATE users SET locked_until = now() - interval '1 second' WHERE id = $1`, [
      account.user.id,
    ]);
    expect((await signIn({ username: account.username, password: account.password })).status).toBe(200);
    expect(await lockOf(account.user.id)).toEqual({ failed_logins: 0, minutes: null });
  });

  it('199 wrong codes at once with the right password: 5 codes are checked, the account is locked, the right code then refused', async () => {
    const account = await enrolled();
    const [{ totp_last_step: stepBefore }] = await t.dataSource.query(
      `SELECT totp_last_step FROM users WHERE id = $1`,
      [account.user.id],
    );
    checked.length = 0;
    const answers = await Promise.all(
      wrongCodes(account.secret, 199).map((otp) =>
        signIn({ username: account.username, password: account.password, otp }),
      ),
    );
    const types = tally(answers.map((r) => (r.body as { type: string }).type.replace('urn:register:problem:', '')));
    console.log(`199 parallel wrong codes: ${JSON.stringify(types)}, ${checked.length} passwords checked`);

    // A checked code that is wrong answers otp_required; an attempt without a slot, the plain refusal.
    expect(types).toEqual({ otp_required: MAX, unauthenticated: 199 - MAX });
    expect(checked).toHaveLength(MAX);
    expect(await lockOf(account.user.id)).toEqual({ failed_logins: MAX, minutes: '15' });
    expect(await eventsOfAccount(account.user.id)).toEqual({
      // The sign-in of signedIn() and the 198 others.
      'auth.login': 1,
      'auth.login_failed': 198,
      'auth.lockout (flagged)': 1,
    });

    const right = await signIn({
      username: account.username,
      password: account.password,
      otp: generateSync({ secret: account.secret }),
    });
    expect({ status: right.status, body: right.body }).toEqual({ status: 401, body: REFUSED });
    // The right code was not even looked at: it stays unused.
    const [{ totp_last_step: stepAfter }] = await t.dataSource.query(`SELECT totp_last_step FROM users WHERE id = $1`, [
      account.user.id,
    ]);
    expect(stepAfter).toBe(stepBefore);
  });

  it('a right password whose check races the lock neither signs in nor clears the lock', async () => {
    const account = await createAccount(t, 'judicial_officer');
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    gate = { password: account.password, entered, opened, open };

    // The right password takes the first slot and is held while it is being checked...
    const rightOne = signIn({ username: account.username, password: account.password }).then((res) => res);
    await inside;
    // ...while wrong ones, sent at once, take the other slots and lock the account.
    const wrong = await Promise.all(
      Array.from({ length: MAX }, (_, i) => signIn({ username: account.username, password: `wrong-${i}-password` })),
    );
    expect(tally(wrong.map((r) => r.status))).toEqual({ 401: MAX });
    expect((await lockOf(account.user.id)).minutes).toBe('15');

    open();
    const answer = await rightOne;
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 401, body: REFUSED });
    expect(await lockOf(account.user.id)).toEqual({ failed_logins: MAX, minutes: '15' });
    const [{ sessions }] = await t.dataSource.query(
      `SELECT count(*)::int AS sessions FROM sessions WHERE user_id = $1`,
      [account.user.id],
    );
    expect(sessions).toBe(0);
    expect(await eventsOfAccount(account.user.id)).toEqual({
      'auth.login_failed': MAX,
      'auth.lockout (flagged)': 1,
    });
  });

  it('50 current-password guesses at once with a stolen session: 5 are checked, then the account is locked', async () => {
    const account = await signedIn(t, 'auditor');
    checked.length = 0;
    const change = (currentPassword: string) =>
      request(base)
        .post('/api/v1/auth/password')
        .set(bearer(account.accessToken))
        .send({ currentPassword, newPassword: 'a brand new passphrase' });
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => change(`guess-${i}-password`)));
    console.log(`50 parallel password changes: ${JSON.stringify(tally(answers.map((r) => r.status)))}`);

    expect(tally(answers.map((r) => r.status))).toEqual({ 400: 50 });
    for (const res of answers)
      expect(res.body.errors).toEqual([{ field: 'currentPassword', message: 'is not correct' }]);
    expect(checked).toHaveLength(MAX);
    expect(await lockOf(account.user.id)).toEqual({ failed_logins: MAX, minutes: '15' });

    // The right current password during the lock is refused the same way, and changes nothing.
    const right = await change(account.password);
    expect({ status: right.status, errors: right.body.errors }).toEqual({
      status: 400,
      errors: [{ field: 'currentPassword', message: 'is not correct' }],
    });
    expect(checked).toHaveLength(MAX);
    await t.dataSource.query(`UPDATE users SET locked_until = now() - interval '1 second' WHERE id = $1`, [
      account.user.id,
    ]);
    await login(t, account);
  });

  it('50 codes at once to re-enrol the authenticator: 5 are checked, then the account is locked', async () => {
    const account = await enrolled();
    const tokens = await login(t, account, generateSync({ secret: account.secret }));
    const reEnrol = (otp: string) =>
      request(base).post('/api/v1/auth/mfa/enroll').set(bearer(tokens.accessToken)).send({ otp });
    const answers = await Promise.all(wrongCodes(account.secret, 50).map((otp) => reEnrol(otp)));
    expect(tally(answers.map((r) => r.status))).toEqual({ 401: 50 });
    expect(await lockOf(account.user.id)).toEqual({ failed_logins: MAX, minutes: '15' });
    const [{ lockouts }] = await t.dataSource.query(
      `SELECT count(*)::int AS lockouts FROM audit_events WHERE action = 'auth.lockout' AND resource_id = $1`,
      [account.user.id],
    );
    expect(lockouts).toBe(1);

    // A right code during the lock enrols nothing. (The code is one period ahead: the sign-in used the current one.)
    const right = await reEnrol(generateSync({ secret: account.secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
    expect({ status: right.status, type: right.body.type }).toEqual({
      status: 401,
      type: 'urn:register:problem:otp_required',
    });
    const [{ pending }] = await t.dataSource.query(
      `SELECT mfa_pending_secret IS NOT NULL AS pending FROM users WHERE id = $1`,
      [account.user.id],
    );
    expect(pending).toBe(false);
  });

  it('costs a legitimate user nothing: a password without the code gives its slot back, and a success resets the count', async () => {
    const account = await enrolled();
    for (let i = 0; i < 2 * MAX; i++) {
      const res = await signIn({ username: account.username, password: account.password });
      expect(res.body.type).toBe('urn:register:problem:otp_required');
    }
    expect(await lockOf(account.user.id)).toEqual({ failed_logins: 0, minutes: null });
    for (let i = 0; i < MAX - 1; i++) await signIn({ username: account.username, password: 'not-the-password' });
    expect(await lockOf(account.user.id)).toEqual({ failed_logins: MAX - 1, minutes: null });
    await login(t, account, generateSync({ secret: account.secret }));
    expect(await lockOf(account.user.id)).toEqual({ failed_logins: 0, minutes: null });
  });
});
