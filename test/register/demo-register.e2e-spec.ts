import request from 'supertest';
import { ComplianceScanner } from '@app/compliance';
import { seedDemoRegister } from '@app/register';
import { bearer, createAccount, signedIn, type TestAccount, type Tokens } from '../support/identity';
import { REASON } from '../support/register';
import { startTestApp, type TestApp } from '../support/test-app';

describe('demo register (embedded first start)', () => {
  let t: TestApp;
  let clerk: TestAccount;
  let officerBg: TestAccount & Tokens;

  beforeAll(async () => {
    t = await startTestApp();
    clerk = await createAccount(t, 'registry_clerk');
    officerBg = await signedIn(t, 'police_officer', 'PU-BEOGRAD');
  });

  afterAll(async () => {
    await t.close();
  });

  it('records six persons through the services, with history and audit events, ready for each role', async () => {
    expect(await seedDemoRegister(t.app, 'nobody.here')).toBe(0);
    expect(await seedDemoRegister(t.app, clerk.username)).toBe(6);
    // A later start (demo-accounts.json removed for new passwords) seeds again: nothing is added twice.
    expect(await seedDemoRegister(t.app, clerk.username)).toBe(0);

    const persons = await t.dataSource.query(
      `SELECT surname, regions, (person_compliance(id, now(), 24, 7)).status AS status FROM persons ORDER BY surname_key`,
    );
    expect(persons).toEqual([
      { surname: 'Đorđević', regions: ['PU-NIS'], status: 'compliant' },
      { surname: 'Ilić', regions: ['PU-NOVI-SAD'], status: 'overdue' },
      { surname: 'Jovanović', regions: ['PU-BEOGRAD'], status: 'compliant' },
      { surname: 'Marković', regions: ['PU-BEOGRAD'], status: 'overdue' },
      // Released next week: reporting starts then.
      { surname: 'Nikolić', regions: ['PU-BEOGRAD'], status: 'compliant' },
      { surname: 'Petrović', regions: ['PU-BEOGRAD'], status: 'due' },
    ]);
    const [history] = await t.dataSource.query(
      `SELECT count(*)::int AS entries, count(DISTINCT person_id)::int AS persons FROM person_history`,
    );
    // Per person: the person, an address, a conviction, a measure; one check-in; the prisoner's second measure.
    expect(history).toEqual({ entries: 26, persons: 6 });
    const events = await t.dataSource.query(
      `SELECT action, count(*)::int AS n FROM audit_events WHERE reason = 'Demo data' GROUP BY action ORDER BY action`,
    );
    expect(events).toEqual([
      { action: 'address.create', n: 6 },
      { action: 'check_in.create', n: 1 },
      { action: 'conviction.create', n: 6 },
      { action: 'measure.create', n: 7 },
      { action: 'person.create', n: 6 },
    ]);

    // The worker's scan raises the overdue persons' alerts; the Beograd officer's morning view shows them.
    await t.app.get(ComplianceScanner).scan();
    const overdue = await request(t.server)
      .get('/api/v1/compliance/overdue')
      .set({ ...bearer(officerBg.accessToken), ...REASON });
    expect(overdue.status).toBe(200);
    expect(overdue.body.items.map((i: { surname: string }) => i.surname)).toEqual(['Marković']);
    const alerts = await request(t.server)
      .get('/api/v1/alerts?status=open')
      .set({ ...bearer(officerBg.accessToken), ...REASON });
    expect(alerts.body.items.map((a: { kind: string }) => a.kind).sort()).toEqual([
      'missed_check_in',
      'missed_check_in',
      'missed_check_in',
      'release_unprepared',
    ]);

    // The prisoner is due for release next week, his duties not yet acknowledged.
    const releases = await request(t.server)
      .get('/api/v1/compliance/releases')
      .set({ ...bearer(officerBg.accessToken), ...REASON });
    expect(releases.body.items).toEqual([
      expect.objectContaining({
        surname: 'Nikolić',
        released: false,
        acknowledged: false,
        measures: [
          expect.objectContaining({ type: 'notify_changes', acknowledged: false }),
          expect.objectContaining({ type: 'periodic_reporting', acknowledged: false }),
        ],
      }),
    ]);
  });
});
