import request from 'supertest';
import { AbilityFactory, type RoleRules, type ScopedSubject } from '@app/authz';
import { eventsOf, rid } from '../support/audit';
import { bearer, signedIn } from '../support/identity';
import { insertRecords, PNG_BYTES, type Records } from '../support/records';
import { REASON } from '../support/register';
import { registeredRoutes } from '../support/routes';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Officers get, in this test only, regional rules for every write: `create`,
 * `update`, `record` and `void` on everything of a person in their region.
 * Every write route must then refuse another region's record with the 404
 * of an absent one, record the attempt as denied, and change nothing; and a
 * write allowed without a read must go through, which only holds when the
 * route's own action is what is checked.
 */
const PERSON_SUBJECTS: Exclude<ScopedSubject, 'Alert'>[] = [
  'Person',
  'Address',
  'Arrival',
  'PhysicalDescription',
  'Workplace',
  'DnaReference',
  'Conviction',
  'Measure',
  'CheckIn',
  'Notification',
  'Breach',
  'Counselling',
  'Acknowledgement',
  'AddressCheck',
  'Disclosure',
  'Referral',
];

const REGIONAL_WRITES: RoleRules = ({ can }, role, region) => {
  if (role !== 'police_officer' || !region) return;
  can(['create', 'update', 'record', 'void'], PERSON_SUBJECTS, { regions: region });
};

interface WriteCase {
  route: string;
  url: (r: Records) => string;
  body?: object | ((r: Records) => object);
  upload?: Buffer;
  /** Text fields sent with the upload. */
  fields?: (r: Records) => Record<string, string>;
  ifMatch?: boolean;
}

/** One valid request for every write route on a person's records (valid, so only the access check can refuse it). */
const WRITES: WriteCase[] = [
  { route: 'PATCH persons/:id', url: (r) => `/persons/${r.personId}`, ifMatch: true, body: { placeOfBirth: 'Niš' } },
  {
    route: 'POST persons/:id/addresses',
    url: (r) => `/persons/${r.personId}/addresses`,
    body: {
      kind: 'temporary',
      street: 'Nova 1',
      city: 'Niš',
      postalCode: '18000',
      policeAdministration: 'PU-NIS',
      validFrom: '2026-02-01',
    },
  },
  {
    route: 'POST persons/:id/arrivals',
    url: (r) => `/persons/${r.personId}/arrivals`,
    body: {
      policeAdministration: 'PU-BEOGRAD',
      validUntil: new Date(Date.now() + 86_400_000 * 5).toISOString().slice(0, 10),
    },
  },
  {
    route: 'PATCH persons/:id/addresses/:addressId',
    url: (r) => `/persons/${r.personId}/addresses/${r.addressId}`,
    ifMatch: true,
    body: { street: 'Ispravljena 2' },
  },
  {
    route: 'PUT persons/:id/dna-reference',
    url: (r) => `/persons/${r.personId}/dna-reference`,
    body: { laboratory: 'NCFE', sampleId: 'S-1', profileReference: 'RS-DNA-1', collectedOn: '2026-10-01' },
  },
  {
    route: 'PUT persons/:id/physical-description',
    url: (r) => `/persons/${r.personId}/physical-description`,
    body: { heightCm: 180, eyeColour: 'brown', hairColour: 'black', distinguishingMarks: [] },
  },
  {
    route: 'POST persons/:id/convictions',
    url: (r) => `/persons/${r.personId}/convictions`,
    body: {
      court: 'Viši sud u Nišu',
      caseNumber: 'K 2/2021',
      judgmentDate: '2021-01-10',
      finalityDate: '2021-03-01',
      offences: [{ article: '180' }],
      victimAge: 'child',
      sentence: { kind: 'imprisonment', months: 24 },
      releaseDate: '2023-03-01',
    },
  },
  {
    route: 'PATCH persons/:id/convictions/:convictionId',
    url: (r) => `/persons/${r.personId}/convictions/${r.convictionId}`,
    ifMatch: true,
    body: { caseNumber: 'K 1/2020 (ispravka)' },
  },
  {
    route: 'POST persons/:id/releases',
    url: (r) => `/persons/${r.personId}/releases`,
    ifMatch: true,
    body: (r) => ({ convictionId: r.convictionId, releasedOn: '2025-05-30', facility: 'KPZ Niš' }),
  },
  {
    route: 'POST persons/:id/measures',
    url: (r) => `/persons/${r.personId}/measures`,
    body: { type: 'ban_places_with_minors', startsOn: '2025-06-02', endsOn: '2030-06-01' },
  },
  {
    route: 'PATCH persons/:id/measures/:measureId',
    url: (r) => `/persons/${r.personId}/measures/${r.measureId}`,
    ifMatch: true,
    body: { action: 'suspend', effectiveOn: '2026-01-01' },
  },
  {
    route: 'POST persons/:id/workplaces',
    url: (r) => `/persons/${r.personId}/workplaces`,
    body: { employer: 'Firma d.o.o.', address: 'Ulica 2, Niš', involvesMinors: false, validFrom: '2026-03-01' },
  },
  {
    route: 'PATCH persons/:id/workplaces/:workplaceId',
    url: (r) => `/persons/${r.personId}/workplaces/${r.workplaceId}`,
    ifMatch: true,
    body: { involvesMinors: true },
  },
  { route: 'POST persons/:id/photos', url: (r) => `/persons/${r.personId}/photos`, upload: PNG_BYTES },
  {
    route: 'POST persons/:id/check-ins',
    url: (r) => `/persons/${r.personId}/check-ins`,
    body: (r) => ({ measureId: r.measureId, occurredAt: '2026-01-06T09:00:00Z', place: 'PU Niš', method: 'in_person' }),
  },
  {
    route: 'POST persons/:id/check-ins/:checkInId/void',
    url: (r) => `/persons/${r.personId}/check-ins/${r.checkInId}/void`,
  },
  {
    route: 'POST persons/:id/notifications',
    url: (r) => `/persons/${r.personId}/notifications`,
    body: {
      kind: 'travel_abroad',
      notifiedAt: '2026-01-02T10:00:00Z',
      effectiveOn: '2026-02-01',
      details: { destinationCountry: 'HU', departOn: '2026-02-01', returnOn: '2026-02-05' },
    },
  },
  {
    route: 'POST persons/:id/notifications/:notificationId/void',
    url: (r) => `/persons/${r.personId}/notifications/${r.notificationId}/void`,
  },
  {
    route: 'POST persons/:id/notifications/:notificationId/return',
    url: (r) => `/persons/${r.personId}/notifications/${r.notificationId}/return`,
    body: { returnedOn: '2026-02-05' },
  },
  {
    route: 'POST persons/:id/breaches',
    url: (r) => `/persons/${r.personId}/breaches`,
    body: (r) => ({ measureId: r.measureId, occurredAt: '2026-01-05T09:00:00Z', description: 'Nije se javio' }),
  },
  {
    route: 'PATCH persons/:id/breaches/:breachId',
    url: (r) => `/persons/${r.personId}/breaches/${r.breachId}`,
    ifMatch: true,
    body: { description: 'Ispravljen opis' },
  },
  {
    route: 'POST persons/:id/breaches/:breachId/void',
    url: (r) => `/persons/${r.personId}/breaches/${r.breachId}/void`,
  },
  {
    route: 'POST persons/:id/counselling',
    url: (r) => `/persons/${r.personId}/counselling`,
    body: (r) => ({ measureId: r.counsellingMeasureId, attendedOn: '2026-01-05', institution: 'CSR Niš' }),
  },
  {
    route: 'PATCH persons/:id/counselling/:counsellingId',
    url: (r) => `/persons/${r.personId}/counselling/${r.counsellingId}`,
    ifMatch: true,
    body: { institution: 'Dom zdravlja Niš' },
  },
  {
    route: 'POST persons/:id/counselling/:counsellingId/void',
    url: (r) => `/persons/${r.personId}/counselling/${r.counsellingId}/void`,
  },
  {
    route: 'POST persons/:id/acknowledgements',
    url: (r) => `/persons/${r.personId}/acknowledgements`,
    upload: PNG_BYTES,
    fields: (r) => ({ measureIds: JSON.stringify([r.measureId]), explainedOn: '2026-01-05', explainedBy: 'M. Jović' }),
  },
  {
    route: 'PATCH persons/:id/acknowledgements/:acknowledgementId',
    url: (r) => `/persons/${r.personId}/acknowledgements/${r.acknowledgementId}`,
    ifMatch: true,
    body: { explainedBy: 'Milan Jović, savetnik za izvršenje' },
  },
  {
    route: 'POST persons/:id/acknowledgements/:acknowledgementId/void',
    url: (r) => `/persons/${r.personId}/acknowledgements/${r.acknowledgementId}/void`,
  },
  {
    route: 'POST persons/:id/address-checks',
    url: (r) => `/persons/${r.personId}/address-checks`,
    body: (r) => ({
      addressId: r.addressId,
      checkedAt: '2026-01-06T20:00:00Z',
      outcome: 'absent',
      note: 'Nije zatečen',
    }),
  },
  {
    route: 'POST persons/:id/address-checks/:checkId/void',
    url: (r) => `/persons/${r.personId}/address-checks/${r.addressCheckId}/void`,
  },
  {
    route: 'POST persons/:id/disclosures',
    url: (r) => `/persons/${r.personId}/disclosures`,
    body: (r) => ({
      recipient: { authority: 'ORFK', country: 'HU' },
      channel: 'bilateral',
      legalBasis: 'Zakon o međunarodnoj pravnoj pomoći',
      caseReference: 'INT-3',
      fields: ['identity', 'travel_notices'],
      travelNoticeId: r.notificationId,
    }),
  },
  {
    route: 'POST persons/:id/referrals',
    url: (r) => `/persons/${r.personId}/referrals`,
    body: (r) => ({
      breachIds: [r.breachId],
      prosecutorOffice: 'Osnovno javno tužilaštvo u Nišu',
      referredOn: '2026-01-06',
    }),
  },
  {
    route: 'PATCH persons/:id/referrals/:referralId',
    url: (r) => `/persons/${r.personId}/referrals/${r.referralId}`,
    ifMatch: true,
    body: { outcome: 'dismissed', outcomeOn: '2026-01-20' },
  },
  {
    route: 'POST persons/:id/referrals/:referralId/void',
    url: (r) => `/persons/${r.personId}/referrals/${r.referralId}/void`,
  },
];

/** Every row of the person's records, to show a refused write changed nothing. */
async function snapshot(t: TestApp, personId: string): Promise<unknown> {
  const [row] = await t.dataSource.query(
    `SELECT (SELECT row_to_json(p) FROM persons p WHERE p.id = $1) AS person,
            (SELECT json_agg(x ORDER BY x.id) FROM addresses x WHERE x.person_id = $1) AS addresses,
            (SELECT json_agg(x ORDER BY x.id) FROM workplaces x WHERE x.person_id = $1) AS workplaces,
            (SELECT json_agg(x ORDER BY x.person_id) FROM dna_references x WHERE x.person_id = $1) AS dna,
            (SELECT json_agg(x ORDER BY x.person_id) FROM physical_descriptions x WHERE x.person_id = $1) AS description,
            (SELECT json_agg(x ORDER BY x.id) FROM convictions x WHERE x.person_id = $1) AS convictions,
            (SELECT json_agg(x ORDER BY x.id) FROM measures x WHERE x.person_id = $1) AS measures,
            (SELECT json_agg(x ORDER BY x.id) FROM measure_suspensions x
              WHERE x.measure_id IN (SELECT id FROM measures WHERE person_id = $1)) AS suspensions,
            (SELECT json_agg(x.id ORDER BY x.id) FROM photos x WHERE x.person_id = $1) AS photos,
            (SELECT json_agg(x ORDER BY x.id) FROM check_ins x WHERE x.person_id = $1) AS check_ins,
            (SELECT json_agg(x ORDER BY x.id) FROM notifications x WHERE x.person_id = $1) AS notifications,
            (SELECT json_agg(x ORDER BY x.id) FROM breaches x WHERE x.person_id = $1) AS breaches,
            (SELECT json_agg(x ORDER BY x.id) FROM counselling_attendances x WHERE x.person_id = $1) AS counselling,
            (SELECT json_agg(x ORDER BY x.id) FROM transfers x WHERE x.person_id = $1) AS transfers,
            (SELECT json_agg(x ORDER BY x.id) FROM arrivals x WHERE x.person_id = $1) AS arrivals,
            (SELECT json_agg(x ORDER BY x.id) FROM alerts x WHERE x.person_id = $1) AS alerts,
            (SELECT json_agg(x ORDER BY x.id) FROM acknowledgements x WHERE x.person_id = $1) AS acknowledgements,
            (SELECT json_agg(x ORDER BY x.id) FROM address_checks x WHERE x.person_id = $1) AS address_checks,
            (SELECT json_agg(x ORDER BY x.id) FROM disclosures x WHERE x.person_id = $1) AS disclosures,
            (SELECT json_agg(x ORDER BY x.id) FROM referrals x WHERE x.person_id = $1) AS referrals,
            (SELECT json_agg(x ORDER BY x.id) FROM referral_items x WHERE x.person_id = $1) AS referral_items,
            (SELECT count(*) FROM person_history x WHERE x.person_id = $1) AS history`,
    [personId],
  );
  return row;
}

describe('writes under regional rules (rules added in this test only)', () => {
  let t: TestApp;
  let officer: Awaited<ReturnType<typeof signedIn>>;

  beforeAll(async () => {
    t = await startTestApp();
    // The one ability factory every check goes through, given the widened rules.
    const widened = AbilityFactory.withRules(REGIONAL_WRITES) as unknown as Record<string, unknown>;
    Object.assign(t.app.get(AbilityFactory), { rules: widened.rules, cache: new Map() });
    officer = await signedIn(t, 'police_officer', 'PU-BEOGRAD');
  });

  afterAll(async () => {
    await t?.close();
  });

  const send = (write: WriteCase, records: Records, requestId: string) => {
    const r = request(t.server)
      [write.route.startsWith('PATCH') ? 'patch' : write.route.startsWith('PUT') ? 'put' : 'post'](
        `/api/v1${write.url(records)}`,
      )
      .set({ ...bearer(officer.accessToken), ...REASON, 'X-Request-Id': requestId })
      .set(write.ifMatch ? { 'If-Match': '1' } : {});
    if (write.upload) {
      const fields = Object.entries(write.fields?.(records) ?? {});
      return fields
        .reduce((form, [name, value]) => form.field(name, value), r)
        .attach('file', write.upload, 'photo.png');
    }
    const body = typeof write.body === 'function' ? write.body(records) : write.body;
    return body ? r.send(body) : r;
  };

  it('covers every write route on a person’s records', () => {
    const writes = registeredRoutes(t)
      .filter((route) => route.method !== 'GET' && route.path.startsWith('persons/:id'))
      .map((route) => route.route);
    expect(WRITES.map((w) => w.route).sort()).toEqual(writes.sort());
  });

  it.each(WRITES.map((w) => [w.route, w] as const))(
    '%s: another region’s record is 404, recorded as denied, and nothing changes',
    async (_route, write) => {
      const records = await insertRecords(t, officer.user.id);
      const before = await snapshot(t, records.personId);
      const requestId = rid('regional');
      const res = await send(write, records, requestId);
      expect([res.status, res.body.type, res.body.detail]).toEqual([
        404,
        'urn:register:problem:not_found',
        'No such person.',
      ]);
      const [event] = await eventsOf(t, requestId);
      expect([event.outcome, event.http_status, event.actor_user_id, event.subject_person_ids]).toEqual([
        'denied',
        404,
        officer.user.id,
        [records.personId],
      ]);
      expect(await snapshot(t, records.personId)).toEqual(before);
    },
  );

  it('lets a write through when the rules allow the write itself, even without a read', async () => {
    // Correcting addresses and voiding check-ins of PU-NIS, which this officer may not read.
    const original = (t.app.get(AbilityFactory) as unknown as Record<string, unknown>).rules as RoleRules;
    const writeOnly: RoleRules = (builder, role, region, office) => {
      original(builder, role, region, office);
      if (role === 'police_officer') builder.can(['update', 'void'], ['Address', 'CheckIn'], { regions: 'PU-NIS' });
    };
    Object.assign(t.app.get(AbilityFactory), { rules: writeOnly, cache: new Map() });
    try {
      const records = await insertRecords(t, officer.user.id);
      const read = await request(t.server)
        .get(`/api/v1/persons/${records.personId}`)
        .set({ ...bearer(officer.accessToken), ...REASON });
      expect(read.status).toBe(404);
      for (const route of ['PATCH persons/:id/addresses/:addressId', 'POST persons/:id/check-ins/:checkInId/void']) {
        const write = WRITES.find((w) => w.route === route) as WriteCase;
        const requestId = rid('write-only');
        const res = await send(write, records, requestId);
        expect([route, res.status]).toEqual([route, 200]);
        const [event] = await eventsOf(t, requestId);
        expect([event.outcome, event.http_status]).toEqual(['allowed', 200]);
      }
      const [address] = await t.dataSource.query(`SELECT street, version FROM addresses WHERE id = $1`, [
        records.addressId,
      ]);
      expect(address).toEqual({ street: 'Ispravljena 2', version: 2 });
      const [checkIn] = await t.dataSource.query(`SELECT voided_by FROM check_ins WHERE id = $1`, [records.checkInId]);
      expect(checkIn).toEqual({ voided_by: officer.user.id });
    } finally {
      Object.assign(t.app.get(AbilityFactory), { rules: original, cache: new Map() });
    }
  });
});
