import request from 'supertest';
import { addDays, belgradeToday } from '@app/common';
import { ComplianceScanner } from '@app/compliance';
import { eventsOf, rid } from '../support/audit';
import { bearer, signedIn, type TestAccount, type Tokens } from '../support/identity';
import { insertAddress, insertConviction, REASON, registerPerson } from '../support/register';
import { sharedKeys } from '../support/key-files';
import { startTestApp, type TestApp } from '../support/test-app';

const today = belgradeToday();

describe('releases: the list and the release_unprepared alert', () => {
  let t: TestApp;
  let clerk: TestAccount & Tokens;
  let judge: TestAccount & Tokens;
  let admin: TestAccount & Tokens;
  let officerNis: TestAccount & Tokens;
  let officerBg: TestAccount & Tokens;
  let keys: Awaited<ReturnType<typeof sharedKeys>>;

  beforeAll(async () => {
    keys = await sharedKeys();
    t = await startTestApp({ ...keys.env, RELEASE_PREPARE_DAYS: '14' });
    clerk = await signedIn(t, 'registry_clerk');
    judge = await signedIn(t, 'judicial_officer');
    admin = await signedIn(t, 'admin');
    officerNis = await signedIn(t, 'police_officer', 'PU-NIS');
    officerBg = await signedIn(t, 'police_officer', 'PU-BEOGRAD');
  });

  afterAll(async () => {
    await t.close();
    await keys.remove();
  });

  const as = (account: Tokens) => ({ ...bearer(account.accessToken), ...REASON });

  /**
   * A prisoner living (after release) in `administration`, released in `inDays` days, with a
   * notify_changes measure binding from then on.
   */
  async function prisoner(inDays: number, administration = 'PU-NIS') {
    const person = await registerPerson(t, { surname: `Zatvorenik${inDays}${administration}` });
    await insertAddress(t, person.id, administration);
    await t.dataSource.query(`UPDATE persons SET regions = $2 WHERE id = $1`, [person.id, [administration]]);
    const convictionId = await insertConviction(t, person.id, addDays(today, inDays));
    const [{ id: measureId }] = await t.dataSource.query(
      `INSERT INTO measures (person_id, type, starts_on, ends_on) VALUES ($1, 'notify_changes', $2, $3) RETURNING id`,
      [person.id, addDays(today, inDays), addDays(today, inDays + 3650)],
    );
    return { personId: person.id, convictionId, measureId };
  }

  async function acknowledge(personId: string, measureIds: string[]): Promise<string> {
    const [{ id }] = await t.dataSource.query(
      `INSERT INTO acknowledgements (person_id, measure_ids, explained_on, explained_by, form_content_type, form_sha256,
                                     form_size_bytes, form, recorded_by)
       VALUES ($1, $2, $3, 'Poverenik Niš', 'application/pdf', repeat('0', 64), 4, '\\x25504446', $4) RETURNING id`,
      [personId, measureIds, today, clerk.user.id],
    );
    return id;
  }

  const list = (account: Tokens, query = '') =>
    request(t.server).get(`/api/v1/compliance/releases?limit=100${query}`).set(as(account));
  const alertsOf = (convictionId: string) =>
    t.dataSource.query(
      `SELECT kind, due_date::text, police_administration, office, status FROM alerts WHERE source_id = $1`,
      [convictionId],
    );

  it('refuses those who do not read addresses (judicial officers, admins) and malformed windows', async () => {
    expect((await list(judge)).status).toBe(403);
    expect((await list(admin)).status).toBe(403);
    const bad = await list(clerk, '&from=2026-02-30');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'from', message: 'is not a real date' }]);
    const backwards = await list(clerk, `&from=${today}&to=${addDays(today, -1)}`);
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors).toEqual([
      { field: 'to', message: 'must be on or after from and at most 366 days after it' },
    ]);
  });

  it('lists the releases in the window with the planned address, the measures and their acknowledgement', async () => {
    const nis = await prisoner(7);
    const bg = await prisoner(8, 'PU-BEOGRAD');
    const later = await prisoner(40);
    const id = rid('releases');
    const res = await request(t.server)
      .get(`/api/v1/compliance/releases?limit=100&from=${today}&to=${addDays(today, 10)}`)
      .set({ ...as(clerk), 'X-Request-Id': id });
    expect(res.status).toBe(200);
    const mine = res.body.items.filter((i: { personId: string }) =>
      [nis.personId, bg.personId, later.personId].includes(i.personId),
    );
    expect(mine).toEqual([
      {
        personId: nis.personId,
        surname: 'Zatvorenik7PU-NIS',
        givenNames: 'Petar',
        convictionId: nis.convictionId,
        releaseOn: addDays(today, 7),
        released: false,
        facility: null,
        plannedAddress: {
          kind: 'permanent',
          street: 'Obrenovićeva 1',
          city: 'Niš',
          postalCode: '18000',
          policeAdministration: 'PU-NIS',
        },
        measures: [
          {
            id: nis.measureId,
            type: 'notify_changes',
            startsOn: addDays(today, 7),
            endsOn: addDays(today, 3657),
            acknowledged: false,
          },
        ],
        acknowledged: false,
      },
      expect.objectContaining({ personId: bg.personId, releaseOn: addDays(today, 8), acknowledged: false }),
    ]);
    const [event] = await eventsOf(t, id);
    expect(event).toMatchObject({ action: 'compliance.releases', outcome: 'allowed', http_status: 200 });
    expect(event.subject_person_ids).toEqual(expect.arrayContaining([nis.personId, bg.personId]));

    // An officer sees the persons to live in the region only.
    const officer = await list(officerNis, `&to=${addDays(today, 10)}`);
    const seen = officer.body.items.map((i: { personId: string }) => i.personId);
    expect(seen).toContain(nis.personId);
    expect(seen).not.toContain(bg.personId);

    // Acknowledged once every binding measure is named by an acknowledgement not voided.
    const ackId = await acknowledge(nis.personId, [nis.measureId]);
    const after = await list(clerk, `&to=${addDays(today, 10)}`);
    expect(after.body.items.find((i: { personId: string }) => i.personId === nis.personId)).toMatchObject({
      acknowledged: true,
      measures: [expect.objectContaining({ id: nis.measureId, acknowledged: true })],
    });
    await t.dataSource.query(
      `UPDATE acknowledgements SET voided_at = now(), voided_by = $2, void_reason = 'greška' WHERE id = $1`,
      [ackId, clerk.user.id],
    );
    const voided = await list(clerk, `&to=${addDays(today, 10)}`);
    expect(voided.body.items.find((i: { personId: string }) => i.personId === nis.personId).acknowledged).toBe(false);
  });

  it('raises release_unprepared once, RELEASE_PREPARE_DAYS before, across two scans and two workers', async () => {
    const soon = await prisoner(10);
    const prepared = await prisoner(9);
    await acknowledge(prepared.personId, [prepared.measureId]);
    const far = await prisoner(20);

    const second = await startTestApp(keys.env, [], t.database);
    try {
      await t.app.get(ComplianceScanner).scan();
      await t.app.get(ComplianceScanner).scan();
      await Promise.all([t.app.get(ComplianceScanner).scan(), second.app.get(ComplianceScanner).scan()]);
    } finally {
      await second.close();
    }
    expect(await alertsOf(soon.convictionId)).toEqual([
      {
        kind: 'release_unprepared',
        due_date: addDays(today, 10),
        police_administration: 'PU-NIS',
        office: 'UIKS-NIS',
        status: 'open',
      },
    ]);
    expect(await alertsOf(prepared.convictionId)).toEqual([]);
    expect(await alertsOf(far.convictionId)).toEqual([]);

    // The region of the planned address gets it in the inbox.
    const inbox = await t.dataSource.query(`SELECT kind FROM inbox_items WHERE user_id = $1 AND person_id = $2`, [
      officerNis.user.id,
      soon.personId,
    ]);
    expect(inbox).toEqual([{ kind: 'release_unprepared' }]);
    const other = await t.dataSource.query(`SELECT 1 FROM inbox_items WHERE user_id = $1 AND person_id = $2`, [
      officerBg.user.id,
      soon.personId,
    ]);
    expect(other).toEqual([]);
  });
});
