import request from 'supertest';
import { addDays, belgradeToday } from '@app/common';
import { eventsOf, rid } from '../support/audit';
import { bearer, signedIn, type TestAccount, type Tokens } from '../support/identity';
import { insertAddress, insertConviction, REASON, registerPerson } from '../support/register';
import { startTestApp, type TestApp } from '../support/test-app';

const today = belgradeToday();

describe('bans: workplaces during the employment ban and the ban on public office', () => {
  let t: TestApp;
  let clerk: TestAccount & Tokens;
  let officerNis: TestAccount & Tokens;
  let officerBg: TestAccount & Tokens;

  beforeAll(async () => {
    t = await startTestApp();
    clerk = await signedIn(t, 'registry_clerk');
    officerNis = await signedIn(t, 'police_officer', 'PU-NIS');
    officerBg = await signedIn(t, 'police_officer', 'PU-BEOGRAD');
  });

  afterAll(async () => {
    await t.close();
  });

  const as = (account: Tokens, requestId = rid('ban')) => ({
    ...bearer(account.accessToken),
    ...REASON,
    'X-Request-Id': requestId,
  });
  const job = (overrides: object = {}) => ({
    employer: 'Osnovna škola „Vuk Karadžić”',
    address: 'Bulevar Nemanjića 2, Niš',
    involvesMinors: true,
    validFrom: '2026-02-01',
    ...overrides,
  });

  /** A person living in PU-NIS, released on 2025-06-01: the employment ban lasts until 2045-06-01. */
  async function convicted() {
    const person = await registerPerson(t, { regions: ['PU-NIS'] });
    await insertAddress(t, person.id, 'PU-NIS');
    await insertConviction(t, person.id, '2025-06-01');
    return person.id;
  }

  const alertsOf = (personId: string) =>
    t.dataSource.query(
      `SELECT kind, source_id, due_date::text, police_administration, office, status
         FROM alerts WHERE person_id = $1 ORDER BY raised_at`,
      [personId],
    );

  const warning = (ban: string, on: string, until: string | null) => ({
    kind: 'prohibited_employment',
    ban,
    on,
    until,
  });

  it('an officer of another region gets 404 and nothing is recorded or raised', async () => {
    const personId = await convicted();
    const res = await request(t.server).post(`/api/v1/persons/${personId}/workplaces`).set(as(officerBg)).send(job());
    expect(res.status).toBe(404);
    expect(await t.dataSource.query(`SELECT id FROM workplaces WHERE person_id = $1`, [personId])).toEqual([]);
    expect(await alertsOf(personId)).toEqual([]);
  });

  it('a malformed publicOffice is 400 and raises nothing', async () => {
    const personId = await convicted();
    const res = await request(t.server)
      .post(`/api/v1/persons/${personId}/workplaces`)
      .set(as(officerNis))
      .send(job({ publicOffice: 'yes' }));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'publicOffice', message: expect.any(String) }]);
    expect(await alertsOf(personId)).toEqual([]);
  });

  it('work with minors during the employment ban raises one flagged prohibited_employment alert, and says so', async () => {
    const personId = await convicted();
    const requestId = rid('ban-minors');
    const res = await request(t.server)
      .post(`/api/v1/persons/${personId}/workplaces`)
      .set(as(officerNis, requestId))
      .send(job());
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      ...job(),
      publicOffice: false,
      validTo: null,
      version: 1,
      // Valid from an earlier day: the ban is checked on today.
      warnings: [warning('ban_on_employment_with_minors', today, '2045-06-01')],
    });
    expect(await alertsOf(personId)).toEqual([
      {
        kind: 'prohibited_employment',
        source_id: res.body.id,
        due_date: '2026-02-01',
        police_administration: 'PU-NIS',
        office: 'UIKS-NIS',
        status: 'open',
      },
    ]);
    const [event] = await eventsOf(t, requestId);
    expect(event).toMatchObject({
      action: 'workplace.create',
      outcome: 'allowed',
      resource_id: res.body.id,
      subject_person_ids: [personId],
      flagged: true,
    });
    // The officers of PU-NIS and the clerks of UIKS-NIS see it.
    const seen = await request(t.server)
      .get('/api/v1/alerts?kind=prohibited_employment&status=open')
      .set(as(officerNis));
    expect(seen.body.items.map((a: { sourceId: string }) => a.sourceId)).toContain(res.body.id);
    // The list shows the workplace as stored (publicOffice), without warnings.
    const list = await request(t.server).get(`/api/v1/persons/${personId}/workplaces`).set(as(officerNis));
    expect(list.body.items).toEqual([{ id: res.body.id, ...job(), publicOffice: false, validTo: null, version: 1 }]);
  });

  it('a workplace without minors, or one valid from after the ban ended, raises nothing and is not flagged', async () => {
    const personId = await convicted();
    const url = `/api/v1/persons/${personId}/workplaces`;
    const plain = await request(t.server)
      .post(url)
      .set(as(officerNis))
      .send(job({ involvesMinors: false }));
    expect(plain.status).toBe(201);
    expect(plain.body.warnings).toEqual([]);
    const requestId = rid('ban-after');
    const after = await request(t.server)
      .post(url)
      .set(as(officerNis, requestId))
      .send(job({ validFrom: '2045-06-01' }));
    expect(after.status).toBe(201);
    expect(after.body.warnings).toEqual([]);
    expect(await alertsOf(personId)).toEqual([]);
    expect((await eventsOf(t, requestId))[0]).toMatchObject({ action: 'workplace.create', flagged: false });
  });

  it('the last day of the ban still raises it; the ban with no release known yet lasts', async () => {
    const personId = await convicted();
    const url = `/api/v1/persons/${personId}/workplaces`;
    const last = await request(t.server)
      .post(url)
      .set(as(clerk))
      .send(job({ validFrom: '2045-05-31' }));
    expect(last.body.warnings).toEqual([warning('ban_on_employment_with_minors', '2045-05-31', '2045-06-01')]);
    const unreleased = await registerPerson(t, { regions: ['PU-NIS'] });
    await insertAddress(t, unreleased.id, 'PU-NIS');
    await t.dataSource.query(
      `INSERT INTO convictions (person_id, court, case_number, judgment_date, finality_date, offences, victim_age,
                                sentence_kind, sentence_months)
       VALUES ($1, 'Viši sud u Nišu', 'K 2/2024', '2024-01-10', '2024-03-01', '[{"article":"180","paragraph":null}]',
               'child', 'suspended', NULL)`,
      [unreleased.id],
    );
    const open = await request(t.server).post(`/api/v1/persons/${unreleased.id}/workplaces`).set(as(clerk)).send(job());
    expect(open.body.warnings).toEqual([warning('ban_on_employment_with_minors', today, null)]);
  });

  it('a person with no conviction final by then raises nothing', async () => {
    const person = await registerPerson(t, { regions: ['PU-NIS'] });
    await insertAddress(t, person.id, 'PU-NIS');
    const res = await request(t.server).post(`/api/v1/persons/${person.id}/workplaces`).set(as(officerNis)).send(job());
    expect(res.status).toBe(201);
    expect(res.body.warnings).toEqual([]);
    expect(await alertsOf(person.id)).toEqual([]);
  });

  it('a correction to work with minors raises the alert; further saves of the workplace raise no second one', async () => {
    const personId = await convicted();
    const url = `/api/v1/persons/${personId}/workplaces`;
    const created = await request(t.server)
      .post(url)
      .set(as(clerk))
      .send(job({ involvesMinors: false }));
    expect(created.body.warnings).toEqual([]);
    // Stale version: 412, nothing raised.
    const stale = await request(t.server)
      .patch(`${url}/${created.body.id}`)
      .set({ ...as(clerk), 'If-Match': '0' })
      .send({ involvesMinors: true });
    expect(stale.status).toBe(412);
    expect(await alertsOf(personId)).toEqual([]);
    const requestId = rid('ban-fix');
    const fixed = await request(t.server)
      .patch(`${url}/${created.body.id}`)
      .set({ ...as(clerk, requestId), 'If-Match': '1' })
      .send({ involvesMinors: true });
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({
      involvesMinors: true,
      version: 2,
      warnings: [warning('ban_on_employment_with_minors', today, '2045-06-01')],
    });
    expect((await eventsOf(t, requestId))[0]).toMatchObject({ action: 'workplace.update', flagged: true });
    const again = await request(t.server)
      .patch(`${url}/${created.body.id}`)
      .set({ ...as(clerk), 'If-Match': '2' })
      .send({ employer: 'Osnovna škola „Njegoš”' });
    expect(again.status).toBe(200);
    expect(again.body.warnings).toEqual([warning('ban_on_employment_with_minors', today, '2045-06-01')]);
    expect(await alertsOf(personId)).toEqual([
      {
        kind: 'prohibited_employment',
        source_id: created.body.id,
        due_date: '2026-02-01',
        police_administration: 'PU-NIS',
        office: 'UIKS-NIS',
        status: 'open',
      },
    ]);
    // The history keeps the correction as stored (no warnings in it).
    const [entry] = await t.dataSource.query(
      `SELECT after FROM person_history WHERE part_id = $1 AND change = 'update' ORDER BY at LIMIT 1`,
      [created.body.id],
    );
    expect(entry.after).toMatchObject({ involvesMinors: true, publicOffice: false });
    expect(entry.after.warnings).toBeUndefined();
  });

  it('an officer may not correct a workplace (403)', async () => {
    const personId = await convicted();
    const created = await request(t.server)
      .post(`/api/v1/persons/${personId}/workplaces`)
      .set(as(clerk))
      .send(job({ involvesMinors: false }));
    const res = await request(t.server)
      .patch(`/api/v1/persons/${personId}/workplaces/${created.body.id}`)
      .set({ ...as(officerNis), 'If-Match': '1' })
      .send({ involvesMinors: true });
    expect(res.status).toBe(403);
    expect(await alertsOf(personId)).toEqual([]);
  });

  it('a public office while a measure is in force raises the alert; after the measures end, nothing', async () => {
    const personId = await convicted();
    await t.dataSource.query(
      `INSERT INTO measures (person_id, type, starts_on, ends_on) VALUES ($1, 'notify_changes', '2025-06-02', $2)`,
      [personId, addDays(today, 100)],
    );
    const url = `/api/v1/persons/${personId}/workplaces`;
    const office = await request(t.server)
      .post(url)
      .set(as(officerNis))
      .send(job({ employer: 'Opština Niš', involvesMinors: false, publicOffice: true }));
    expect(office.status).toBe(201);
    expect(office.body).toMatchObject({
      publicOffice: true,
      warnings: [warning('ban_on_public_office', today, addDays(today, 101))],
    });
    const later = await request(t.server)
      .post(url)
      .set(as(officerNis))
      .send(
        job({ employer: 'Skupština grada', involvesMinors: false, publicOffice: true, validFrom: addDays(today, 101) }),
      );
    expect(later.status).toBe(201);
    expect(later.body.warnings).toEqual([]);
    expect(await alertsOf(personId)).toEqual([
      {
        kind: 'prohibited_employment',
        source_id: office.body.id,
        due_date: '2026-02-01',
        police_administration: 'PU-NIS',
        office: 'UIKS-NIS',
        status: 'open',
      },
    ]);
  });

  it('both bans at once give two warnings and one alert; a notified workplace change checks them too', async () => {
    const personId = await convicted();
    await t.dataSource.query(
      `INSERT INTO measures (person_id, type, starts_on, ends_on) VALUES ($1, 'notify_changes', '2025-06-02', '2035-06-01')`,
      [personId],
    );
    const both = await request(t.server)
      .post(`/api/v1/persons/${personId}/workplaces`)
      .set(as(officerNis))
      .send(job({ publicOffice: true }));
    expect(both.body.warnings).toEqual([
      warning('ban_on_employment_with_minors', today, '2045-06-01'),
      warning('ban_on_public_office', today, '2035-06-02'),
    ]);
    const requestId = rid('ban-notice');
    const notice = await request(t.server)
      .post(`/api/v1/persons/${personId}/notifications`)
      .set(as(officerNis, requestId))
      .send({
        kind: 'workplace_change',
        notifiedAt: new Date().toISOString(),
        effectiveOn: today,
        details: { workplace: job({ employer: 'Vrtić „Pčelica”', validFrom: today }) },
      });
    expect(notice.status).toBe(201);
    const alerts = await alertsOf(personId);
    expect(alerts.map((a: { source_id: string; due_date: string }) => [a.source_id, a.due_date])).toEqual([
      [both.body.id, '2026-02-01'],
      [notice.body.recordedPartId, today],
    ]);
    expect((await eventsOf(t, requestId))[0]).toMatchObject({ action: 'notification.create', flagged: true });
  });
});
