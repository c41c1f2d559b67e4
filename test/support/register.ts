import { RequestAudit } from '@app/audit';
import type { Principal } from '@app/authz';
import { expectedCheckDigit, PersonsService, type PersonView } from '@app/register';
import type { TestApp } from './test-app';

let serial = 0;

/** A clerk as the services see one, for recording test data directly. */
export const CLERK: Principal = {
  userId: '00000000-0000-4000-8000-000000000001',
  username: 'test.clerk',
  role: 'registry_clerk',
  region: null,
  office: null,
  organisation: 'UIKS',
  sessionId: 'test',
  mfa: true,
  scope: 'full',
};

/** A valid JMBG for a man born on 1 January 1990, a new one on each call. */
export function nextJmbg(sex: 'M' | 'F' = 'M', date = '0101990'): string {
  for (;;) {
    serial += 1;
    const bbb = (sex === 'M' ? 0 : 500) + (serial % 500);
    // RR 71-79 (Belgrade's registration regions): 4,500 numbers per sex and date before one repeats.
    const rr = 71 + (Math.floor(serial / 500) % 9);
    const first12 = `${date}${rr}${String(bbb).padStart(3, '0')}`;
    const check = expectedCheckDigit(first12);
    if (check !== null) return `${first12}${check}`;
  }
}

/** A registered person (recorded as a clerk would), for tests that need one. */
export async function registerPerson(
  t: TestApp,
  overrides: Partial<{ surname: string; givenNames: string; aliases: string[]; regions: string[] }> = {},
): Promise<PersonView> {
  const { regions, ...names } = overrides;
  const person = await t.app.get(PersonsService).create(RequestAudit.system('person.create'), CLERK, {
    surname: 'Petrović',
    givenNames: 'Petar',
    jmbg: nextJmbg(),
    dateOfBirth: '1990-01-01',
    placeOfBirth: 'Beograd',
    sex: 'M',
    citizenship: 'RS',
    ...names,
  });
  // Regions come from addresses and measures; until those exist, tests set them directly.
  if (regions) await t.dataSource.query(`UPDATE persons SET regions = $2 WHERE id = $1`, [person.id, regions]);
  return person;
}

export const REASON = { 'X-Access-Reason': 'KT-100%2F2026' };

/** An address recorded directly (for tests that need one to exist). */
export async function insertAddress(
  t: TestApp,
  personId: string,
  policeAdministration = 'PU-NIS',
  kind: 'permanent' | 'temporary' = 'permanent',
): Promise<string> {
  const [row] = await t.dataSource.query(
    `INSERT INTO addresses (person_id, kind, street, city, postal_code, police_administration, valid_from)
     VALUES ($1, $2, 'Obrenovićeva 1', 'Niš', '18000', $3, '2026-01-01') RETURNING id`,
    [personId, kind, policeAdministration],
  );
  return row.id;
}

/** A conviction with a release date, recorded directly, so that measures can be imposed. */
export async function insertConviction(t: TestApp, personId: string, releaseDate = '2025-06-01'): Promise<string> {
  const [row] = await t.dataSource.query(
    `INSERT INTO convictions (person_id, court, case_number, judgment_date, finality_date, offences, victim_age,
                              sentence_kind, sentence_months, release_date)
     VALUES ($1, 'Viši sud u Nišu', 'K 1/2020', '2020-01-10', '2020-03-01', '[{"article":"180","paragraph":null}]',
             'child', 'imprisonment', 60, $2) RETURNING id`,
    [personId, releaseDate],
  );
  return row.id;
}

export async function insertMeasure(t: TestApp, personId: string, reportTo = 'PU-NIS'): Promise<string> {
  const [row] = await t.dataSource.query(
    `INSERT INTO measures (person_id, type, starts_on, ends_on, report_to, every_days, schedule_kind)
     VALUES ($1, 'periodic_reporting', '2025-06-02', '2035-06-01', $2, 30, 'every_days') RETURNING id`,
    [personId, reportTo],
  );
  return row.id;
}
