import { createHash, randomUUID } from 'node:crypto';
import { canonicalJson } from '@app/audit';
import type { TestApp } from './test-app';
import { insertAddress, insertConviction, insertMeasure, registerPerson } from './register';

/** The smallest PNG: a 1x1 transparent pixel. */
export const PNG_BYTES = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGBgAAAABQABXvMqGgAAAABJRU5ErkJggg==',
  'base64',
);

/** One of every kind of record, the way test/access-matrix.e2e-spec.ts sets them up. */
export interface Records {
  personId: string;
  addressId: string;
  convictionId: string;
  /** A periodic reporting measure to PU-NIS. */
  measureId: string;
  counsellingMeasureId: string;
  workplaceId: string;
  photoId: string;
  checkInId: string;
  notificationId: string;
  breachId: string;
  counsellingId: string;
  /** A `missed_check_in` alert of the measure, in PU-NIS. */
  alertId: string;
  /** An acknowledgement of the reporting measure, with a PNG as its signed form. */
  acknowledgementId: string;
  /** A `confirmed` check of the address. */
  addressCheckId: string;
  /** A disclosure of the person's measures to Hungary. */
  disclosureId: string;
  /** A referral of the alert to the prosecutor (2026-01-06), without an outcome. */
  referralId: string;
  /** Inbox items, one per user named in `inboxOwners`, in that order. */
  inboxItemIds: string[];
}

/**
 * A person in PU-NIS with an address, a conviction, measures, a workplace,
 * a photo, a check-in, a notification, a breach, counselling, an alert and
 * inbox items, written directly to the database.
 */
export async function insertRecords(t: TestApp, recordedBy: string, inboxOwners: string[] = []): Promise<Records> {
  const q = async (sql: string, params: unknown[]): Promise<string> => {
    const [row] = await t.dataSource.query(sql, params);
    return row.id as string;
  };
  const person = await registerPerson(t);
  const personId = person.id;
  const addressId = await insertAddress(t, personId, 'PU-NIS');
  const convictionId = await insertConviction(t, personId);
  const measureId = await insertMeasure(t, personId, 'PU-NIS');
  await t.dataSource.query(`UPDATE persons SET regions = $2 WHERE id = $1`, [personId, ['PU-NIS']]);
  const workplaceId = await q(
    `INSERT INTO workplaces (person_id, employer, address, involves_minors, valid_from)
     VALUES ($1, 'Prva firma', 'Niš', false, '2026-01-01') RETURNING id`,
    [personId],
  );
  const photoId = await q(
    `INSERT INTO photos (person_id, content_type, size_bytes, sha256, data)
     VALUES ($1, 'image/png', $2, 'x', $3) RETURNING id`,
    [personId, PNG_BYTES.length, PNG_BYTES],
  );
  const checkInId = await q(
    `INSERT INTO check_ins (person_id, measure_id, occurred_at, place, method, recorded_by)
     VALUES ($1, $2, '2026-01-05T09:00:00Z', 'PU Niš', 'in_person', $3) RETURNING id`,
    [personId, measureId, recordedBy],
  );
  const notificationId = await q(
    `INSERT INTO notifications (person_id, kind, notified_at, effective_on, details, deadline, on_time, recorded_by)
     VALUES ($1, 'travel_abroad', '2026-01-02T10:00:00Z', '2026-02-01',
             '{"destinationCountry":"HU","departOn":"2026-02-01","returnOn":"2026-02-05"}', '2026-01-24', true, $2)
     RETURNING id`,
    [personId, recordedBy],
  );
  const breachId = await q(
    `INSERT INTO breaches (person_id, measure_id, occurred_at, description, recorded_by)
     VALUES ($1, $2, '2026-01-05T09:00:00Z', 'Nije se javio', $3) RETURNING id`,
    [personId, measureId, recordedBy],
  );
  const counsellingMeasureId = await q(
    `INSERT INTO measures (person_id, type, starts_on, ends_on) VALUES ($1, 'counselling', '2025-06-02', '2030-06-01')
     RETURNING id`,
    [personId],
  );
  const counsellingId = await q(
    `INSERT INTO counselling_attendances (person_id, measure_id, attended_on, institution, recorded_by)
     VALUES ($1, $2, '2026-01-05', 'CSR Niš', $3) RETURNING id`,
    [personId, counsellingMeasureId, recordedBy],
  );
  const alertId = await q(
    `INSERT INTO alerts (kind, person_id, measure_id, source_id, due_date, police_administration)
     VALUES ('missed_check_in', $1, $2, $2, '2025-07-01', 'PU-NIS') RETURNING id`,
    [personId, measureId],
  );
  const acknowledgementId = await insertAcknowledgement(t, personId, [measureId], recordedBy);
  const addressCheckId = await q(
    `INSERT INTO address_checks (person_id, address_id, police_administration, checked_at, outcome, note, recorded_by)
     VALUES ($1, $2, 'PU-NIS', '2026-01-05T20:00:00Z', 'confirmed', 'Zatečen', $3) RETURNING id`,
    [personId, addressId, recordedBy],
  );
  const disclosureId = await insertDisclosure(t, personId, recordedBy);
  const referralId = await insertReferral(t, personId, alertId, recordedBy);
  const inboxItemIds: string[] = [];
  for (const owner of inboxOwners) {
    inboxItemIds.push(
      await q(
        `INSERT INTO inbox_items (user_id, kind, alert_id, person_id, source_id, due_date)
         VALUES ($1, 'missed_check_in', $2, $3, $2, '2025-07-01') RETURNING id`,
        [owner, alertId, personId],
      ),
    );
  }
  return {
    personId,
    addressId,
    convictionId,
    measureId,
    counsellingMeasureId,
    workplaceId,
    photoId,
    checkInId,
    notificationId,
    breachId,
    counsellingId,
    alertId,
    acknowledgementId,
    addressCheckId,
    disclosureId,
    referralId,
    inboxItemIds,
  };
}

/** A referral of `alertId` to the prosecutor on 2026-01-06, without an outcome, written directly. */
export async function insertReferral(
  t: TestApp,
  personId: string,
  alertId: string,
  referredBy: string,
): Promise<string> {
  const [referral] = await t.dataSource.query(
    `INSERT INTO referrals (person_id, prosecutor_office, referred_on, referred_by)
     VALUES ($1, 'Osnovno javno tužilaštvo u Nišu', '2026-01-06', $2) RETURNING id`,
    [personId, referredBy],
  );
  await t.dataSource.query(`INSERT INTO referral_items (referral_id, person_id, alert_id) VALUES ($1, $2, $3)`, [
    referral.id,
    personId,
    alertId,
  ]);
  return referral.id;
}

/** An acknowledgement of `measureIds` explained on 2026-01-05, with a PNG as its signed form, written directly. */
export async function insertAcknowledgement(
  t: TestApp,
  personId: string,
  measureIds: string[],
  recordedBy: string,
): Promise<string> {
  const [row] = await t.dataSource.query(
    `INSERT INTO acknowledgements (person_id, measure_ids, explained_on, explained_by, form_content_type, form_sha256,
                                   form_size_bytes, form, recorded_by)
     VALUES ($1, $2, '2026-01-05', 'Milan Jović, savetnik', 'image/png', 'x', $3, $4, $5) RETURNING id`,
    [personId, measureIds, PNG_BYTES.length, PNG_BYTES, recordedBy],
  );
  return row.id as string;
}

/** A disclosure of the person's (empty) measures to Hungary through Interpol, with its package, written directly. */
export async function insertDisclosure(t: TestApp, personId: string, createdBy: string): Promise<string> {
  const id = randomUUID();
  const pkg = {
    id,
    preparedAt: '2026-01-05T10:00:00.000Z',
    recipient: { authority: 'ORFK', country: 'HU' },
    channel: 'interpol',
    legalBasis: 'Zakon o međunarodnoj pravnoj pomoći',
    caseReference: 'INT-1',
    travelNoticeId: null,
    fields: ['measures'],
    issuer: 'Posebna evidencija',
    personId,
    parts: { measures: [] },
  };
  await t.dataSource.query(
    `INSERT INTO disclosures (id, person_id, recipient_authority, recipient_country, channel, legal_basis,
                             case_reference, fields, package_sha256, package, created_by)
     VALUES ($1, $2, 'ORFK', 'HU', 'interpol', $3, 'INT-1', '{measures}', $4, $5, $6)`,
    [id, personId, pkg.legalBasis, createHash('sha256').update(canonicalJson(pkg)).digest('hex'), pkg, createdBy],
  );
  return id;
}
