import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as path from 'node:path';
import request from 'supertest';
import { addDays, belgradeToday } from '@app/common';
import { ComplianceScanner, MailDelivery } from '@app/compliance';
import { createAccount, type TestAccount } from '../support/identity';
import { insertConviction, registerPerson } from '../support/register';
import { startSmtp } from '../support/smtp';
import { startTestApp, type TestApp } from '../support/test-app';

const today = belgradeToday();
const root = path.resolve('.');

describe('reminders: inbox and e-mail', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await startTestApp({
      SMTP_URL: smtp.url,
      PUBLIC_URL: 'https://register.example',
      MAIL_FROM: 'uiks@register.example',
    });
  });

  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  /** An officer of `region` with an e-mail address. */
  async function officer(region: string, email: string | null): Promise<TestAccount> {
    const account = await createAccount(t, 'police_officer', region);
    await t.dataSource.query(`UPDATE users SET email = $2 WHERE id = $1`, [account.user.id, email]);
    return account;
  }

  /** A person under reporting to `region`, `daysAgo` days in, optionally with a managing officer. */
  async function reporting(region: string, daysAgo: number, managingOfficerId: string | null = null) {
    const person = await registerPerson(t);
    await insertConviction(t, person.id, addDays(today, -daysAgo - 10));
    await t.dataSource.query(`UPDATE persons SET regions = ARRAY[$2], managing_officer_id = $3 WHERE id = $1`, [
      person.id,
      region,
      managingOfficerId,
    ]);
    const [{ id }] = await t.dataSource.query(
      `INSERT INTO measures (person_id, type, starts_on, ends_on, report_to, every_days, schedule_kind)
       VALUES ($1, 'periodic_reporting', $2, $3, $4, 30, 'every_days') RETURNING id`,
      [person.id, addDays(today, -daysAgo), addDays(today, 3650), region],
    );
    return { personId: person.id, measureId: id as string, jmbg: person.jmbg as string };
  }

  const outboxOf = (userId: string) =>
    t.dataSource.query(
      `SELECT o.message_id, o.status, o.attempts, o.recipient, o.last_error, i.kind, i.alert_id
         FROM mail_outbox o JOIN inbox_items i ON i.id = o.inbox_item_id WHERE i.user_id = $1 ORDER BY o.created_at`,
      [userId],
    );

  it('a new alert reaches every officer of the administration: inbox for all, e-mail with only a link for those with an address', async () => {
    const withMail = await officer('PU-SUBOTICA', 'ana@mup.example');
    const without = await officer('PU-SUBOTICA', null);
    const elsewhere = await officer('PU-SOMBOR', 'sombor@mup.example');
    const r = await reporting('PU-SUBOTICA', 45);
    await t.app.get(ComplianceScanner).scan();
    const [alert] = await t.dataSource.query(`SELECT id FROM alerts WHERE source_id = $1`, [r.measureId]);

    const inboxOf = (userId: string) =>
      t.dataSource.query(`SELECT kind, alert_id FROM inbox_items WHERE user_id = $1`, [userId]);
    expect(await inboxOf(withMail.user.id)).toEqual([{ kind: 'missed_check_in', alert_id: alert.id }]);
    expect(await inboxOf(without.user.id)).toEqual([{ kind: 'missed_check_in', alert_id: alert.id }]);
    expect(await inboxOf(elsewhere.user.id)).toEqual([]);
    expect(await outboxOf(without.user.id)).toEqual([]);
    const [queued] = await outboxOf(withMail.user.id);
    expect(queued).toMatchObject({ status: 'pending', attempts: 0, recipient: 'ana@mup.example' });

    const before = smtp.received.length;
    await t.app.get(MailDelivery).deliverDue();
    const mails = smtp.received.slice(before).filter((m) => m.to.includes('ana@mup.example'));
    expect(mails).toHaveLength(1);
    expect(mails[0].messageId).toBe(queued.message_id);
    expect(mails[0].text).toBe(
      `An alert (missed check in) is waiting for you: https://register.example/console/alerts/${alert.id}`,
    );
    // No personal data: not the name, not the JMBG, not the person's id.
    for (const secret of ['Petrovi', 'Petar', r.jmbg, r.personId]) expect(mails[0].text).not.toContain(secret);
    expect(await outboxOf(withMail.user.id)).toEqual([expect.objectContaining({ status: 'sent', attempts: 1 })]);
    // Delivered once: another round sends nothing more.
    await t.app.get(MailDelivery).deliverDue();
    expect(smtp.received.filter((m) => m.messageId === queued.message_id)).toHaveLength(1);
  });

  it('the managing officer alone is told when the person has one in that administration', async () => {
    const managing = await officer('PU-KIKINDA', 'vodja@mup.example');
    const colleague = await officer('PU-KIKINDA', 'kolega@mup.example');
    const r = await reporting('PU-KIKINDA', 45, managing.user.id);
    await t.app.get(ComplianceScanner).scan();
    const told = await t.dataSource.query(`SELECT DISTINCT user_id FROM inbox_items WHERE person_id = $1`, [
      r.personId,
    ]);
    expect(told).toEqual([{ user_id: managing.user.id }]);
    expect(await outboxOf(colleague.user.id)).toEqual([]);
  });

  it('officers are reminded of a check-in falling due within REMINDER_DAYS_BEFORE', async () => {
    const o = await officer('PU-JAGODINA', 'jagodina@mup.example');
    const r = await reporting('PU-JAGODINA', 28);
    await t.app.get(ComplianceScanner).scan();
    await t.app.get(ComplianceScanner).scan();
    expect(
      await t.dataSource.query(`SELECT kind, source_id, due_date::text FROM inbox_items WHERE user_id = $1`, [
        o.user.id,
      ]),
    ).toEqual([{ kind: 'check_in_due', source_id: r.measureId, due_date: addDays(today, 1) }]);
    const [mail] = await outboxOf(o.user.id);
    expect(mail).toMatchObject({ kind: 'check_in_due', alert_id: null, status: 'pending' });
  });

  it('a refused delivery is retried with backoff, then sent', async () => {
    const o = await officer('PU-VRANJE', 'vranje@mup.example');
    await reporting('PU-VRANJE', 45);
    await t.app.get(ComplianceScanner).scan();
    smtp.refuse = 100;
    await t.app.get(MailDelivery).deliverDue();
    const [failed] = await t.dataSource.query(
      `SELECT o.id, o.status, o.attempts, o.last_error, o.next_attempt_at > now() + interval '20 seconds' AS later
         FROM mail_outbox o JOIN inbox_items i ON i.id = o.inbox_item_id WHERE i.user_id = $1`,
      [o.user.id],
    );
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, later: true });
    expect(failed.last_error).toMatch(/451/);
    smtp.refuse = 0;
    // Not yet due: nothing is sent.
    await t.app.get(MailDelivery).deliverDue();
    expect(smtp.received.filter((m) => m.to.includes('vranje@mup.example'))).toHaveLength(0);
    await t.dataSource.query(`UPDATE mail_outbox SET next_attempt_at = now() WHERE id = $1`, [failed.id]);
    await t.app.get(MailDelivery).deliverDue();
    expect(smtp.received.filter((m) => m.to.includes('vranje@mup.example'))).toHaveLength(1);
    expect(await outboxOf(o.user.id)).toEqual([expect.objectContaining({ status: 'sent', attempts: 2 })]);
  });

  it('reports alerts raised, scan duration and the outbox backlog on /metrics', async () => {
    const res = await request(t.server).get('/metrics');
    expect(res.text).toMatch(/^compliance_alerts_raised_total\{kind="missed_check_in"\} [1-9]\d*$/m);
    expect(res.text).toMatch(/^compliance_scan_duration_seconds_count [1-9]\d*$/m);
    expect(res.text).toMatch(/^mail_outbox_backlog \d+$/m);
  });

  describe('the worker and the command line', () => {
    let worker: ChildProcess | null = null;

    beforeAll(() => {
      execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'ignore' });
    });

    afterEach(() => {
      worker?.kill('SIGKILL');
      worker = null;
    });

    const startWorker = (env: Record<string, string>) =>
      spawn('node', ['dist/apps/worker/src/main.js'], {
        cwd: root,
        stdio: 'ignore',
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'test',
          LOG_LEVEL: 'silent',
          DATABASE_URL: t.database.url,
          SMTP_URL: smtp.url,
          PUBLIC_URL: 'https://register.example',
          COMPLIANCE_SCAN_INTERVAL_SECONDS: '3600',
          ...env,
        },
      });

    async function until<T>(probe: () => Promise<T | null | undefined>, what: string): Promise<T> {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const value = await probe();
        if (value) return value;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }

    it('a worker killed after writing the outbox and before sending delivers on restart, once, with the same Message-ID', async () => {
      const o = await officer('PU-PROKUPLJE', 'prokuplje@mup.example');
      await reporting('PU-PROKUPLJE', 45);
      // The first worker scans at start and would send only an hour later.
      worker = startWorker({ MAIL_INTERVAL_MS: '3600000' });
      const queued = await until(async () => (await outboxOf(o.user.id))[0], 'the outbox row');
      worker.kill('SIGKILL');
      await new Promise((resolve) => worker?.once('exit', resolve));
      expect(smtp.received.filter((m) => m.to.includes('prokuplje@mup.example'))).toHaveLength(0);

      worker = startWorker({ MAIL_INTERVAL_MS: '200' });
      await until(async () => smtp.received.find((m) => m.to.includes('prokuplje@mup.example')), 'the e-mail');
      await until(async () => (await outboxOf(o.user.id))[0]?.status === 'sent', 'the row marked sent');
      expect(smtp.received.filter((m) => m.to.includes('prokuplje@mup.example'))).toEqual([
        expect.objectContaining({ messageId: queued.message_id }),
      ]);
    });

    it('`compliance:scan` runs one scan now and delivers what it wrote', async () => {
      await officer('PU-PIROT', 'pirot@mup.example');
      const r = await reporting('PU-PIROT', 45);
      // Not spawnSync: the SMTP server runs in this process and must answer meanwhile.
      const child = spawn('node', ['dist/apps/cli/src/main.js', 'compliance:scan'], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'ignore'],
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'test',
          LOG_LEVEL: 'silent',
          DATABASE_URL: t.database.url,
          SMTP_URL: smtp.url,
        },
      });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      const status = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      const run = { status, stdout };
      expect(run.status).toBe(0);
      const result = JSON.parse(run.stdout.trim().split('\n').pop() as string);
      expect(result).toMatchObject({ ran: true, mailed: expect.any(Number) });
      expect(result.raised.missed_check_in).toBeGreaterThanOrEqual(1);
      expect(await t.dataSource.query(`SELECT kind FROM alerts WHERE source_id = $1`, [r.measureId])).toEqual([
        { kind: 'missed_check_in' },
      ]);
      expect(smtp.received.filter((m) => m.to.includes('pirot@mup.example'))).toHaveLength(1);
    });
  });
});
