import request from 'supertest';
import { addDays, belgradeToday } from '@app/common';
import { bearer, signedIn, type TestAccount, type Tokens } from '../support/identity';
import { eventsOf, rid } from '../support/audit';
import { insertConviction, REASON, registerPerson } from '../support/register';
import { startTestApp, type TestApp } from '../support/test-app';

describe('custody and release', () => {
  let t: TestApp;
  let clerk: TestAccount & Tokens;
  let officer: TestAccount & Tokens;
  let judge: TestAccount & Tokens;

  beforeAll(async () => {
    t = await startTestApp();
    clerk = await signedIn(t, 'registry_clerk');
    officer = await signedIn(t, 'police_officer', 'PU-NIS');
    judge = await signedIn(t, 'judicial_officer');
  });

  afterAll(async () => {
    await t.close();
  });

  const today = belgradeToday();
  const as = (account: Tokens, version?: number) => ({
    ...bearer(account.accessToken),
    ...REASON,
    ...(version === undefined ? {} : { 'If-Match': `"${version}"` }),
  });
  const release = (personId: string, account: Tokens, version: number | undefined, body: object, id = rid('rel')) =>
    request(t.server)
      .post(`/api/v1/persons/${personId}/releases`)
      .set({ ...as(account, version), 'X-Request-Id': id })
      .send(body);

  /** A person in prison in PU-NIS: imprisoned since 2024-01-01, expected out in 30 days. */
  async function prisoner(expected = addDays(today, 30)) {
    const person = await registerPerson(t, { regions: ['PU-NIS'] });
    const convictionId = await insertConviction(t, person.id, expected);
    await t.dataSource.query(`UPDATE convictions SET custody_from = '2024-01-01' WHERE id = $1`, [convictionId]);
    return { personId: person.id, convictionId };
  }

  const conviction = async (id: string) =>
    (
      await t.dataSource.query(`SELECT released_on::text, release_facility, version FROM convictions WHERE id = $1`, [
        id,
      ])
    )[0];

  it('refuses roles other than clerks: officers and judicial officers 403, nothing changed', async () => {
    const { personId, convictionId } = await prisoner();
    const body = { convictionId, releasedOn: today, facility: 'KPZ Niš' };
    for (const account of [officer, judge]) {
      const res = await release(personId, account, 1, body);
      expect(res.status).toBe(403);
    }
    expect(await conviction(convictionId)).toEqual({ released_on: null, release_facility: null, version: 1 });
  });

  it('refuses a conviction of another person (404), a stale version (412), and malformed input (400)', async () => {
    const a = await prisoner();
    const b = await prisoner();
    const other = await release(a.personId, clerk, 1, {
      convictionId: b.convictionId,
      releasedOn: today,
      facility: 'KPZ',
    });
    expect(other.status).toBe(404);
    expect(other.body.detail).toBe('No such conviction.');

    const stale = await release(a.personId, clerk, 7, {
      convictionId: a.convictionId,
      releasedOn: today,
      facility: 'KPZ',
    });
    expect(stale.status).toBe(412);

    const cases: [object, string, string][] = [
      [{ releasedOn: '2026-02-30' }, 'releasedOn', 'is not a real date'],
      [{ releasedOn: addDays(today, 1) }, 'releasedOn', 'must not be in the future'],
      [{ releasedOn: '2023-12-31' }, 'releasedOn', 'must not be before custody began (2024-01-01)'],
      [{ facility: '' }, 'facility', expect.any(String) as unknown as string],
    ];
    for (const [override, field, message] of cases) {
      const res = await release(a.personId, clerk, 1, {
        convictionId: a.convictionId,
        releasedOn: today,
        facility: 'KPZ Niš',
        ...override,
      });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field, message }]);
    }
    expect(await conviction(a.convictionId)).toEqual({ released_on: null, release_facility: null, version: 1 });
  });

  it('refuses a conviction that is not to imprisonment (400 naming convictionId)', async () => {
    const { personId, convictionId } = await prisoner();
    await t.dataSource.query(
      `UPDATE convictions SET sentence_kind = 'suspended', sentence_months = NULL, custody_from = NULL WHERE id = $1`,
      [convictionId],
    );
    const res = await release(personId, clerk, 1, { convictionId, releasedOn: today, facility: 'KPZ' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'convictionId', message: 'is not a conviction to imprisonment' }]);
  });

  it('records the release (201, new version, history, audit) and corrects it (200) keeping both in history', async () => {
    const { personId, convictionId } = await prisoner();
    const id = rid('rel');
    const first = await release(
      personId,
      clerk,
      1,
      { convictionId, releasedOn: addDays(today, -2), facility: 'KPZ Niš' },
      id,
    );
    expect(first.status).toBe(201);
    expect(first.headers.etag).toBe('"2"');
    expect(first.body).toMatchObject({
      id: convictionId,
      releaseDate: addDays(today, 30),
      custodyFrom: '2024-01-01',
      releasedOn: addDays(today, -2),
      releaseFacility: 'KPZ Niš',
      version: 2,
    });
    // The ban on employment with minors runs from the actual release.
    expect(first.body.legalConsequences[3]).toEqual({
      kind: 'ban_on_employment_with_minors',
      until: `${Number(addDays(today, -2).slice(0, 4)) + 20}${addDays(today, -2).slice(4)}`,
    });
    const [event] = await eventsOf(t, id);
    expect(event).toMatchObject({
      action: 'release.record',
      outcome: 'allowed',
      http_status: 201,
      resource_type: 'conviction',
      resource_id: convictionId,
      subject_person_ids: [personId],
    });

    const corrected = await release(personId, clerk, 2, {
      convictionId,
      releasedOn: addDays(today, -1),
      facility: 'KPZ Sremska Mitrovica',
    });
    expect(corrected.status).toBe(200);
    expect(corrected.body).toMatchObject({ releasedOn: addDays(today, -1), version: 3 });

    const history = await t.dataSource.query(
      `SELECT change, before->>'releasedOn' AS before, after->>'releasedOn' AS after, after->>'releaseFacility' AS facility
         FROM person_history WHERE person_id = $1 AND part = 'conviction' ORDER BY at, id`,
      [personId],
    );
    expect(history).toEqual([
      { change: 'release', before: null, after: addDays(today, -2), facility: 'KPZ Niš' },
      { change: 'release', before: addDays(today, -2), after: addDays(today, -1), facility: 'KPZ Sremska Mitrovica' },
    ]);
  });

  describe('measures start after release', () => {
    const measure = (personId: string, startsOn: string) =>
      request(t.server)
        .post(`/api/v1/persons/${personId}/measures`)
        .set(as(clerk))
        .send({ type: 'notify_changes', startsOn, endsOn: addDays(startsOn, 3650) });

    it('refuses a measure starting while the person is in custody (400 naming startsOn), nothing stored', async () => {
      const { personId } = await prisoner(addDays(today, 30));
      const res = await measure(personId, addDays(today, 10));
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        { field: 'startsOn', message: `must not be before the release from custody (${addDays(today, 30)})` },
      ]);
      const [{ count }] = await t.dataSource.query(`SELECT count(*)::int FROM measures WHERE person_id = $1`, [
        personId,
      ]);
      expect(count).toBe(0);
    });

    it('accepts a measure starting on the release day, and after an earlier actual release from then on', async () => {
      const { personId, convictionId } = await prisoner(addDays(today, 30));
      expect((await measure(personId, addDays(today, 30))).status).toBe(201);
      await release(personId, clerk, 1, { convictionId, releasedOn: addDays(today, -5), facility: 'KPZ Niš' });
      expect((await measure(personId, addDays(today, -5))).status).toBe(201);
      expect((await measure(personId, addDays(today, -6))).status).toBe(400);
    });
  });
});
