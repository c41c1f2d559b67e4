import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import * as path from 'node:path';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { keyId } from '@app/identity';
import type { EventRow } from '../support/audit';
import { bearer, signedIn } from '../support/identity';
import { auditKeyFiles, sharedKeys } from '../support/key-files';
import { startTestApp, type TestApp } from '../support/test-app';

describe('signing keys from files, with rotation', () => {
  let folder: string;
  let t: TestApp;
  const oldKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const newKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'register-keys-'));
    await writeFile(path.join(folder, 'new.pem'), newKey.privateKey.export({ format: 'pem', type: 'pkcs8' }));
    await writeFile(path.join(folder, 'old.pub.pem'), oldKey.publicKey.export({ format: 'pem', type: 'spki' }));
    await writeFile(path.join(folder, 'mfa.key'), randomBytes(32).toString('base64'));
    await writeFile(path.join(folder, 'vetting-hash.key'), randomBytes(32).toString('base64'));
    t = await startTestApp({
      JWT_SIGNING_KEY_FILE: path.join(folder, 'new.pem'),
      JWT_VERIFY_KEY_FILES: path.join(folder, 'old.pub.pem'),
      MFA_ENCRYPTION_KEY_FILE: path.join(folder, 'mfa.key'),
      VETTING_HASH_KEY_FILE: path.join(folder, 'vetting-hash.key'),
      ...(await auditKeyFiles(folder)),
    });
  });

  afterAll(async () => {
    await t.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('signs with the configured key and still accepts tokens of the older one', async () => {
    const account = await signedIn(t, 'auditor');
    const header = (jwt.decode(account.accessToken, { complete: true }) as jwt.Jwt).header;
    expect(header.kid).toBe(keyId(newKey.publicKey));

    const claims = jwt.decode(account.accessToken) as Record<string, unknown>;
    const { iat: _iat, exp: _exp, ...rest } = claims;
    const byOldKey = jwt.sign(rest, oldKey.privateKey, {
      algorithm: 'ES256',
      keyid: keyId(oldKey.publicKey),
      expiresIn: 60,
    });
    expect((await request(t.server).get('/api/v1/auth/me').set(bearer(byOldKey))).status).toBe(200);

    const jwks = await request(t.server).get('/.well-known/jwks.json');
    expect(jwks.body.keys.map((k: { kid: string }) => k.kid)).toEqual([
      keyId(newKey.publicKey),
      keyId(oldKey.publicKey),
    ]);
    expect(jwks.body.keys.every((k: { d?: string }) => k.d === undefined)).toBe(true);
  });
});

describe('two instances on one database', () => {
  let keys: Awaited<ReturnType<typeof sharedKeys>>;
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    // Instances share their keys, as replicas behind a balancer do.
    keys = await sharedKeys();
    const env = { REVOCATION_REFRESH_MS: '250', ...keys.env };
    first = await startTestApp(env);
    second = await startTestApp(env, [], first.database);
  });

  afterAll(async () => {
    await second.close();
    await first.close();
    await keys.remove();
  });

  it('a session revoked on one instance is refused by the other within seconds', async () => {
    const account = await signedIn(first, 'judicial_officer');
    expect((await request(second.server).get('/api/v1/auth/me').set(bearer(account.accessToken))).status).toBe(200);
    expect((await request(first.server).post('/api/v1/auth/logout').set(bearer(account.accessToken))).status).toBe(204);

    const deadline = Date.now() + 5_000;
    let status = 200;
    while (Date.now() < deadline && status === 200) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await request(second.server).get('/api/v1/auth/me').set(bearer(account.accessToken))).status;
    }
    expect(status).toBe(401);
  });
});

describe('the operators’ command line', () => {
  let t: TestApp;
  let keys: Awaited<ReturnType<typeof sharedKeys>>;
  const root = path.resolve('.');
  /** Every command is recorded as a request is, its actor the machine account that ran it. */
  const operator = `cli:${userInfo().username}`;

  beforeAll(async () => {
    // The CLI runs compiled, as operators run it; the build is incremental.
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'ignore' });
    // The service's keys: audit:verify checks what the service signs.
    keys = await sharedKeys();
    t = await startTestApp(keys.env);
  }, 180_000);

  afterAll(async () => {
    await t.close();
    await keys.remove();
  });

  const cli = (args: string[], input?: string) =>
    spawnSync('node', ['dist/apps/cli/src/main.js', ...args], {
      cwd: root,
      input,
      encoding: 'utf8',
      env: { ...process.env, ...keys.env, DATABASE_URL: t.database.url, LOG_LEVEL: 'silent' },
    });

  /** Runs a command and returns, with what it printed, the events it left. */
  async function audited(args: string[], input?: string) {
    const [{ top }] = await t.dataSource.query(`SELECT coalesce(max(seq), 0)::text AS top FROM audit_events`);
    const run = cli(args, input);
    const events: EventRow[] = await t.dataSource.query(
      `SELECT seq::text, action, outcome, http_status, actor_user_id, actor_username, actor_role, resource_type,
              resource_id, subject_person_ids::text[] AS subject_person_ids, reason, result_count, query, request_id,
              recipient, details, flagged
         FROM audit_events WHERE seq > $1::bigint ORDER BY seq`,
      [top],
    );
    return { status: run.status, stdout: run.stdout, stderr: run.stderr, events };
  }

  const byOperator = (fields: Partial<EventRow>) =>
    expect.objectContaining({ actor_username: operator, actor_role: 'operator', actor_user_id: null, ...fields });

  it('creates a user who then signs in, refreshes and signs out', async () => {
    const created = cli(
      [
        'user:create',
        '--username',
        'cli.officer',
        '--role',
        'police_officer',
        '--region',
        'PU-NIS',
        '--organisation',
        'MUP',
        '--password-stdin',
      ],
      'a passphrase from stdin\n',
    );
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    expect(created.stdout).toMatch(/^Created cli\.officer \(police_officer, PU-NIS\), id [0-9a-f-]{36}\n$/);

    const signIn = await request(t.server)
      .post('/api/v1/auth/login')
      .send({ username: 'cli.officer', password: 'a passphrase from stdin' });
    expect(signIn.status).toBe(200);
    const refreshed = await request(t.server)
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: signIn.body.refreshToken });
    expect(refreshed.status).toBe(200);
    expect((await request(t.server).post('/api/v1/auth/logout').set(bearer(refreshed.body.accessToken))).status).toBe(
      204,
    );
  });

  it('creates a clerk of a UIKS office, and refuses an office for another role', async () => {
    const args = (username: string, role: string) => [
      'user:create',
      '--username',
      username,
      '--role',
      role,
      '--office',
      'UIKS-NIS',
      '--organisation',
      'UIKS',
      '--password-stdin',
    ];
    const created = cli(args('cli.clerk.nis', 'registry_clerk'), 'a passphrase from stdin\n');
    expect(created.stderr).toBe('');
    expect(created.stdout).toMatch(/^Created cli\.clerk\.nis \(registry_clerk, UIKS-NIS\), id [0-9a-f-]{36}\n$/);
    const [row] = await t.dataSource.query(`SELECT office FROM users WHERE username = 'cli.clerk.nis'`);
    expect(row).toEqual({ office: 'UIKS-NIS' });
    const refused = cli(args('cli.auditor.nis', 'auditor'), 'a passphrase from stdin\n');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('must be empty for the role auditor');
  });

  it('refuses a weak password and a missing --password-stdin, exiting 1', () => {
    const weak = cli(
      ['user:create', '--username', 'cli.weak', '--role', 'auditor', '--organisation', 'UIKS', '--password-stdin'],
      'short\n',
    );
    expect({ status: weak.status, stderr: weak.stderr, stdout: weak.stdout }).toEqual({
      status: 1,
      stderr: expect.stringContaining('password must be at least 12 characters long'),
      stdout: '',
    });
    expect(weak.stderr).toContain('password must be at least 12 characters long');
    const noStdin = cli(['user:create', '--username', 'cli.weak', '--role', 'auditor', '--organisation', 'UIKS']);
    expect(noStdin.status).toBe(1);
    expect(noStdin.stderr).toContain('--password-stdin is required');
  });

  it('resets a password and deactivates an account, each recorded as the operator’s', async () => {
    const created = await audited(
      [
        'user:create',
        '--username',
        'cli.judge',
        '--role',
        'judicial_officer',
        '--organisation',
        'Sud',
        '--password-stdin',
      ],
      'first passphrase here\n',
    );
    expect(created.status).toBe(0);
    const id = /id ([0-9a-f-]{36})$/.exec(created.stdout.trim())?.[1];
    expect(created.events).toEqual([
      byOperator({ action: 'user.create', outcome: 'allowed', resource_type: 'user', resource_id: id, flagged: true }),
    ]);

    // Refused resets: an error event each, and nothing changed.
    const unknown = await audited(['user:reset-password', '--username', 'nobody.here', '--password-stdin'], 'x\n');
    expect({ status: unknown.status, stdout: unknown.stdout }).toEqual({ status: 1, stdout: '' });
    expect(unknown.events).toEqual([
      byOperator({ action: 'user.reset_password', outcome: 'error', resource_type: 'user', flagged: true }),
    ]);
    const weak = await audited(['user:reset-password', '--username', 'cli.judge', '--password-stdin'], 'short\n');
    expect(weak.status).toBe(1);
    expect(weak.stderr).toContain('password must be at least 12 characters long');
    expect(weak.events).toEqual([
      byOperator({ action: 'user.reset_password', outcome: 'error', resource_id: id, flagged: true }),
    ]);

    const reset = await audited(
      ['user:reset-password', '--username', 'cli.judge', '--password-stdin'],
      'second passphrase here\n',
    );
    expect(reset).toMatchObject({ status: 0, stderr: '' });
    expect(reset.events).toEqual([
      byOperator({
        action: 'user.reset_password',
        outcome: 'allowed',
        resource_type: 'user',
        resource_id: id,
        flagged: true,
      }),
    ]);
    const ok = await request(t.server)
      .post('/api/v1/auth/login')
      .send({ username: 'cli.judge', password: 'second passphrase here' });
    expect(ok.status).toBe(200);

    const off = await audited(['user:deactivate', '--username', 'cli.judge']);
    expect(off.status).toBe(0);
    expect(off.events).toEqual([byOperator({ action: 'user.update', outcome: 'allowed', resource_id: id })]);
    expect((await request(t.server).get('/api/v1/auth/me').set(bearer(ok.body.accessToken))).status).toBe(401);
    const refused = await request(t.server)
      .post('/api/v1/auth/login')
      .send({ username: 'cli.judge', password: 'second passphrase here' });
    expect(refused.status).toBe(401);
  });

  it('a scan, a verification and an export each leave one event as the operator’s', async () => {
    const scan = await audited(['compliance:scan']);
    expect(scan).toMatchObject({ status: 0, stderr: '' });
    expect(scan.events).toEqual([
      byOperator({
        action: 'compliance.scan',
        outcome: 'allowed',
        resource_type: 'alert',
        details: { ran: true, raised: {}, reminders: 0 },
      }),
    ]);

    const verified = await audited(['audit:verify']);
    expect(verified).toMatchObject({ status: 0, stderr: '' });
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, findings: [] });
    expect(verified.events).toEqual([
      byOperator({ action: 'audit.verify', outcome: 'allowed', resource_type: 'audit_log', flagged: false }),
    ]);

    const exported = await audited([
      'audit:export',
      '--from',
      '2020-01-01',
      '--to',
      '2099-12-31',
      '--recipient',
      'Poverenik',
    ]);
    expect(exported).toMatchObject({ status: 0, stderr: '' });
    expect(exported.events).toEqual([
      byOperator({ action: 'audit.export', outcome: 'allowed', recipient: 'Poverenik', flagged: true }),
    ]);
    expect(exported.stdout.trim().split('\n')).toHaveLength(Number(exported.events[0].result_count));

    const unnamed = await audited(['audit:export', '--from', '2020-01-01', '--to', '2099-12-31']);
    expect(unnamed).toEqual({
      status: 1,
      stdout: '',
      stderr: 'Failed: --recipient is required: who receives the export\n',
      events: [byOperator({ action: 'audit.export', outcome: 'error', flagged: true })],
    });
  });

  it('audit:verify names a review the runtime role forged, exits 2, and is recorded flagged', async () => {
    const [forged] = await t.dataSource.transaction(async (manager) => {
      await manager.query('SET LOCAL ROLE register_app');
      return manager.query(
        `INSERT INTO audit_events (actor_username, actor_role, action, resource_type, resource_id, outcome, details)
         VALUES ('someone', 'auditor', 'audit.review', 'audit_event', gen_random_uuid()::text, 'allowed',
                 '{"note": "Fine."}') RETURNING seq::int`,
      );
    });
    const verified = await audited(['audit:verify']);
    expect(verified).toMatchObject({ status: 2, stderr: '' });
    expect(JSON.parse(verified.stdout)).toMatchObject({
      ok: false,
      firstBadSeq: forged.seq,
      problem: 'signature',
      findings: [{ problem: 'signature', seq: forged.seq, sealNo: null }],
    });
    expect(verified.events).toEqual([byOperator({ action: 'audit.verify', outcome: 'allowed', flagged: true })]);
  });
});
