import request from 'supertest';
import { type Role, ROLES } from '@app/authz';
import { newCertificateNumber } from '@app/register';
import { bearer, createAccount, signedIn } from './support/identity';
import { eventsOf, rid, sealWritten } from './support/audit';
import { insertAddress, insertConviction, insertMeasure, nextJmbg, REASON, registerPerson } from './support/register';
import { insertAcknowledgement, insertDisclosure, insertReferral } from './support/records';
import { registeredRoutes } from './support/routes';
import { startTestApp, type TestApp } from './support/test-app';

type Caller = Role | 'anonymous';
const CALLERS: Caller[] = ['anonymous', ...ROLES];

interface Context {
  /** Another account, the target of the admin routes. */
  targetId: string;
  /** A pending role change of that account, requested by another admin than the caller. */
  roleChangeId: string;
  /** An audit event, the target of a review. */
  eventId: string;
  /** A registered person. */
  personId: string;
  /** An address of that person (in PU-NIS: outside the test officer's PU-BEOGRAD). */
  addressId: string;
  convictionId: string;
  /** A periodic reporting measure to PU-NIS. */
  measureId: string;
  workplaceId: string;
  photoId: string;
  checkInId: string;
  notificationId: string;
  breachId: string;
  counsellingId: string;
  /** A `missed_check_in` alert of the measure, in PU-NIS. */
  alertId: string;
  /** An inbox item of the caller. */
  inboxItemId: string;
  /** A UIKS office and an offence of the catalogue, each at version 1. */
  officeCode: string;
  article: string;
  /** A counselling institution, at version 1. */
  institutionCode: string;
  /** An acknowledgement of the measure. */
  acknowledgementId: string;
  /** A check of the address (PU-NIS). */
  addressCheckId: string;
  /** A place where minors gather, at version 1. */
  placeId: string;
  /** A disclosure of the person abroad. */
  disclosureId: string;
  /** A vetting request and its certificate's number. */
  vettingRequestId: string;
  certificateNumber: string;
  /** A referral of the alert to the prosecutor, without an outcome, at version 1. */
  referralId: string;
}

interface RouteCase {
  /** As the controllers declare it: `METHOD controller/path`. */
  route: string;
  url: (c: Context) => string;
  body?: object | ((c: Context) => object);
  /** Sent as the multipart field `file`. */
  upload?: Buffer;
  /** Text fields sent with the upload. */
  fields?: (c: Context) => Record<string, string>;
  headers?: Record<string, string>;
  /** The expected status per caller; `others` for every role not named. */
  expect: Partial<Record<Caller, number>> & { others: number };
}

/** The smallest PNG: a 1x1 transparent pixel. */
const PNG_BYTES = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGBgAAAABQABXvMqGgAAAABJRU5ErkJggg==',
  'base64',
);

const ADMIN_ONLY = (ok: number) => ({ anonymous: 401, admin: ok, others: 403 });
const ANY_SIGNED_IN = (ok: number) => ({ anonymous: 401, others: ok });
const AUDITOR_ONLY = (ok: number) => ({ anonymous: 401, auditor: ok, others: 403 });
/** Register data: clerks, officers (in their region) and judicial officers read; admins, auditors and vetting officers do not. */
const READERS = (ok: number) => ({ anonymous: 401, admin: 403, auditor: 403, vetting_officer: 403, others: ok });
/** Reference data: every role but the vetting officer, who reaches nothing but vetting. */
const REFERENCE_READERS = (ok: number) => ({ anonymous: 401, vetting_officer: 403, others: ok });
const VETTING_OFFICER_ONLY = (ok: number) => ({ anonymous: 401, vetting_officer: ok, others: 403 });
const PUBLIC = (ok: number) => ({ others: ok });

/** Every route of the api, with what each role gets. Later capabilities add their rows. */
const MATRIX: RouteCase[] = [
  {
    route: 'POST auth/login',
    url: () => '/api/v1/auth/login',
    body: { username: 'nobody', password: 'x' },
    expect: PUBLIC(401),
  },
  { route: 'POST auth/refresh', url: () => '/api/v1/auth/refresh', body: { refreshToken: 'x' }, expect: PUBLIC(401) },
  { route: 'POST auth/logout', url: () => '/api/v1/auth/logout', expect: ANY_SIGNED_IN(204) },
  {
    route: 'POST auth/password',
    url: () => '/api/v1/auth/password',
    body: { currentPassword: 'wrong', newPassword: 'a long new passphrase' },
    expect: ANY_SIGNED_IN(400),
  },
  { route: 'GET auth/me', url: () => '/api/v1/auth/me', expect: ANY_SIGNED_IN(200) },
  { route: 'POST auth/mfa/enroll', url: () => '/api/v1/auth/mfa/enroll', expect: ANY_SIGNED_IN(200) },
  {
    route: 'POST auth/mfa/activate',
    url: () => '/api/v1/auth/mfa/activate',
    body: { otp: '123456' },
    expect: ANY_SIGNED_IN(409),
  },
  {
    route: 'POST users',
    url: () => '/api/v1/users',
    body: {
      username: `m.${Date.now()}`,
      password: 'a long enough passphrase',
      displayName: 'M',
      role: 'auditor',
      organisation: 'UIKS',
    },
    expect: ADMIN_ONLY(201),
  },
  { route: 'GET users', url: () => '/api/v1/users', expect: ADMIN_ONLY(200) },
  { route: 'GET users/role-changes', url: () => '/api/v1/users/role-changes', expect: ADMIN_ONLY(200) },
  {
    route: 'POST users/:id/role-changes/:changeId/confirm',
    url: (c) => `/api/v1/users/${c.targetId}/role-changes/${c.roleChangeId}/confirm`,
    expect: ADMIN_ONLY(200),
  },
  { route: 'GET users/:id', url: (c) => `/api/v1/users/${c.targetId}`, expect: ADMIN_ONLY(200) },
  {
    route: 'PATCH users/:id',
    url: (c) => `/api/v1/users/${c.targetId}`,
    headers: { 'If-Match': '"1"' },
    body: { displayName: 'Renamed' },
    expect: ADMIN_ONLY(200),
  },
  {
    route: 'POST users/:id/reset-password',
    url: (c) => `/api/v1/users/${c.targetId}/reset-password`,
    // An admin's reset of any account is held for another admin.
    expect: ADMIN_ONLY(202),
  },
  { route: 'POST users/:id/reset-mfa', url: (c) => `/api/v1/users/${c.targetId}/reset-mfa`, expect: ADMIN_ONLY(202) },
  {
    route: 'POST users/:id/revoke-sessions',
    url: (c) => `/api/v1/users/${c.targetId}/revoke-sessions`,
    expect: ADMIN_ONLY(204),
  },
  { route: 'GET audit/events', url: () => '/api/v1/audit/events', expect: AUDITOR_ONLY(200) },
  {
    route: 'POST audit/events/:id/review',
    url: (c) => `/api/v1/audit/events/${c.eventId}/review`,
    body: { note: 'Looked at it.' },
    expect: AUDITOR_ONLY(201),
  },
  { route: 'GET audit/verify', url: () => '/api/v1/audit/verify', expect: AUDITOR_ONLY(200) },
  {
    route: 'POST audit/verify',
    url: () => '/api/v1/audit/verify',
    body: {
      checkpoint: {
        sealedThrough: 1,
        treeSize: 1,
        root: '0'.repeat(64),
        signedAt: '2026-11-28T10:00:00Z',
        keyId: 'k',
        signature: 'A'.repeat(86),
      },
    },
    expect: AUDITOR_ONLY(200),
  },
  { route: 'GET audit/checkpoints/latest', url: () => '/api/v1/audit/checkpoints/latest', expect: AUDITOR_ONLY(200) },
  { route: 'GET audit/keys', url: () => '/api/v1/audit/keys', expect: AUDITOR_ONLY(200) },
  {
    route: 'GET audit/export',
    url: () => '/api/v1/audit/export?from=2026-01-01&to=2099-01-01',
    expect: AUDITOR_ONLY(200),
  },
  {
    route: 'POST persons',
    url: () => '/api/v1/persons',
    headers: REASON,
    body: {
      surname: 'Matrix',
      givenNames: 'Case',
      jmbg: nextJmbg(),
      dateOfBirth: '1990-01-01',
      placeOfBirth: 'Niš',
      sex: 'M',
      citizenship: 'RS',
    },
    expect: { anonymous: 401, registry_clerk: 201, others: 403 },
  },
  { route: 'GET persons', url: () => '/api/v1/persons', headers: REASON, expect: READERS(200) },
  {
    route: 'GET persons/lookup',
    url: () => '/api/v1/persons/lookup?jmbg=0101990360007',
    headers: REASON,
    expect: { anonymous: 401, police_officer: 200, others: 403 },
  },
  {
    route: 'GET persons/:id',
    url: (c) => `/api/v1/persons/${c.personId}`,
    headers: REASON,
    // The person's region is not the officer's: 404.
    expect: { ...READERS(200), police_officer: 404 },
  },
  {
    route: 'PATCH persons/:id',
    url: (c) => `/api/v1/persons/${c.personId}`,
    headers: { ...REASON, 'If-Match': '1' },
    body: { placeOfBirth: 'Kragujevac' },
    expect: { anonymous: 401, registry_clerk: 200, others: 403 },
  },
  {
    route: 'GET persons/:id/history',
    url: (c) => `/api/v1/persons/${c.personId}/history`,
    headers: REASON,
    expect: { anonymous: 401, registry_clerk: 200, others: 403 },
  },
  {
    route: 'POST persons/:id/addresses',
    url: (c) => `/api/v1/persons/${c.personId}/addresses`,
    headers: REASON,
    // An officer records an address in the own administration only for a person announced as arriving there.
    body: {
      kind: 'temporary',
      street: 'Ulica 1',
      city: 'Beograd',
      postalCode: '11000',
      policeAdministration: 'PU-BEOGRAD',
      validFrom: '2026-11-01',
    },
    expect: { anonymous: 401, registry_clerk: 201, police_officer: 404, others: 403 },
  },
  {
    route: 'POST persons/:id/arrivals',
    url: (c) => `/api/v1/persons/${c.personId}/arrivals`,
    headers: REASON,
    body: { policeAdministration: 'PU-BEOGRAD', validUntil: '2099-01-01' },
    // Valid in shape, too far ahead: 400 for those who may announce; the officer's person is elsewhere.
    expect: { anonymous: 401, registry_clerk: 400, police_officer: 404, others: 403 },
  },
  {
    route: 'GET persons/:id/arrivals',
    url: (c) => `/api/v1/persons/${c.personId}/arrivals`,
    headers: REASON,
    expect: { anonymous: 401, registry_clerk: 200, police_officer: 404, others: 403 },
  },
  {
    route: 'GET persons/:id/addresses',
    url: (c) => `/api/v1/persons/${c.personId}/addresses`,
    headers: REASON,
    expect: { ...READERS(200), police_officer: 404, judicial_officer: 403 },
  },
  {
    route: 'PATCH persons/:id/addresses/:addressId',
    url: (c) => `/api/v1/persons/${c.personId}/addresses/${c.addressId}`,
    headers: { ...REASON, 'If-Match': '1' },
    body: { street: 'Ispravljena 2' },
    expect: { anonymous: 401, registry_clerk: 200, others: 403 },
  },
  {
    route: 'PUT persons/:id/dna-reference',
    url: (c) => `/api/v1/persons/${c.personId}/dna-reference`,
    headers: REASON,
    body: { laboratory: 'NCFE', sampleId: 'S-1', profileReference: 'RS-DNA-1', collectedOn: '2026-10-01' },
    expect: { anonymous: 401, registry_clerk: 201, others: 403 },
  },
  {
    route: 'PUT persons/:id/physical-description',
    url: (c) => `/api/v1/persons/${c.personId}/physical-description`,
    headers: REASON,
    body: { heightCm: 180, eyeColour: 'brown', hairColour: 'black', distinguishingMarks: [] },
    expect: { anonymous: 401, registry_clerk: 201, others: 403 },
  },
  {
    route: 'POST persons/:id/convictions',
    url: (c) => `/api/v1/persons/${c.personId}/convictions`,
    headers: REASON,
    body: {
      court: 'Viši sud u Beogradu',
      caseNumber: 'K 9/2021',
      judgmentDate: '2021-01-01',
      finalityDate: '2021-03-01',
      offences: [{ article: '185a' }],
      victimAge: 'minor',
      sentence: { kind: 'imprisonment', months: 24 },
      releaseDate: '2023-03-01',
    },
    expect: { anonymous: 401, registry_clerk: 201, others: 403 },
  },
  {
    route: 'GET persons/:id/convictions',
    url: (c) => `/api/v1/persons/${c.personId}/convictions`,
    headers: REASON,
    expect: { ...READERS(200), police_officer: 404 },
  },
  {
    route: 'PATCH persons/:id/convictions/:convictionId',
    url: (c) => `/api/v1/persons/${c.personId}/convictions/${c.convictionId}`,
    headers: { ...REASON, 'If-Match': '1' },
    body: { caseNumber: 'K 1/2020 (ispravka)' },
    expect: { anonymous: 401, registry_clerk: 200, others: 403 },
  },
  {
    route: 'POST persons/:id/releases',
    url: (c) => `/api/v1/persons/${c.personId}/releases`,
    headers: { ...REASON, 'If-Match': '1' },
    body: (c: Context) => ({ convictionId: c.convictionId, releasedOn: '2025-05-30', facility: 'KPZ Niš' }),
    expect: { anonymous: 401, registry_clerk: 201, others: 403 },
  },
  {
    route: 'POST persons/:id/measures',
    url: (c) => `/api/v1/persons/${c.personId}/measures`,
    headers: REASON,
    body: { type: 'ban_places_with_minors', startsOn: '2025-06-02', endsOn: '2030-06-01' },
    expect: { anonymous: 401, registry_clerk: 201, others: 403 },
  },
  {
    route: 'GET persons/:id/measures',
    url: (c) => `/api/v1/persons/${c.personId}/measures`,
    headers: REASON,
    expect: { ...READERS(200), police_officer: 404 },
  },
  {
    route: 'PATCH persons/:id/measures/:measureId',
    url: (c) => `/api/v1/persons/${c.personId}/measures/${c.measureId}`,
    headers: { ...REASON, 'If-Match': '1' },
    body: { action: 'suspend', effectiveOn: '2026-01-01' },
    expect: { anonymous: 401, registry_clerk: 200, others: 403 },
  },
  {
    route: 'POST persons/:id/workplaces',
    url: (c) => `/api/v1/persons/${c.personId}/workplaces`,
    headers: REASON,
    body: { employer: 'Firma d.o.o.', address: 'Ulica 2, Niš', involvesMinors: false, validFrom: '2026-03-01' },
    // The person is in PU-NIS by its measure; the test officer is of PU-BEOGRAD.
    expect: { anonymous: 401, registry_clerk: 201, police_officer: 404, others: 403 },
  },
  {
    route: 'GET persons/:id/workplaces',
    url: (c) => `/api/v1/persons/${c.personId}/workplaces`,
    headers: REASON,
    expect: { ...READERS(200), police_officer: 404, judicial_officer: 403 },
  },
  {
    route: 'PATCH persons/:id/workplaces/:workplaceId',
    url: (c) => `/api/v1/persons/${c.personId}/workplaces/${c.workplaceId}`,
    headers: { ...REASON, 'If-Match': '1' },
    body: { involvesMinors: true },
    expect: { anonymous: 401, registry_clerk: 200, others: 403 },
  },
  {
    route: 'POST persons/:id/photos',
    url: (c) => `/api/v1/persons/${c.personId}/photos`,
    headers: REASON,
    upload: PNG_BYTES,
    expect: { anonymous: 401, registry_clerk: 201, others: 403 },
  },
  {
    route: 'GET persons/:id/photos',
    url: (c) => `/api/v1/persons/${c.personId}/photos`,
    headers: REASON,
    expect: { ...READERS(200), police_officer: 404, judicial_officer: 403 },
  },
  {
    route: 'GET persons/:id/photos/:photoId',
    url: (c) => `/api/v1/persons/${c.personId}/photos/${c.photoId}`,
    headers: REASON,
    expect: { ...READERS(200), police_officer: 404, judicial_officer: 403 },
  },
  {
    route: 'POST persons/:id/check-ins',
    url: (c) => `/api/v1/persons/${c.personId}/check-ins`,
    headers: REASON,
    body: (c: Context) => ({
      measureId: c.measureId,
      occurredAt: '2026-01-05T09:00:00+01:00',
      place: 'PU Niš',
      method: 'in_person',
    }),
    expect: { anonymous: 401, registry_clerk: 201, police_officer: 404, others: 403 },
  },
  {
    route: 'GET persons/:id/check-ins',
    url: (c) => `/api/v1/persons/${c.personId}/check-ins`,
    headers: REASON,
    expect: { ...READERS(200), police_officer: 404, judicial_officer: 403 },
  },
  {
    route: 'POST persons/:id/check-ins/:checkInId/void',
    url: (c) => `/api/v1/persons/${c.personId}/check-ins/${c.checkInId}/void`,
    headers: REASON,
    expect: { anonymous: 401, registry_clerk: 200, others: 403 },
  },
  {
    route: 'POST persons/:id/address-checks',
    url: (c) => `/api/v1/persons/${c.personId}/address-checks`,
    headers: REASON,
    body: (c: Context) => ({
      addressId: c.addressId,
      checkedAt: '2026-01-05T20:00:00+01:00',
      outcome: 'confirmed',
      note: 'Zatečen na adresi',
    }),
    // The address lies in PU-NIS: not the officer's PU-BEOGRAD.
    expect: { anonymous: 401, registry_clerk: 201, police_officer: 404, others: 403 },
  },
  {
    route: 'GET persons/:id/address-checks',
    url: (c) => `/api/v1/persons/${c.personId}/address-checks`,
    headers: REASON,
    expect: { ...READERS(200), police_officer: 404, judicial_officer: 403 },
  },
  {
    route: 'POST persons/:id/address-checks/:checkId/void',
    url: (c) => `/api/v1/persons/${c.personId}/address-checks/${c.addressCheckId}/void`,
    headers: REASON,
    expect: { anonymous: 401, registry_clerk: 200, others: 403 },
  },
  {
    route: 'POST persons/:id/referrals',
    url: (c) => `/api/v1/persons/${c.personId}/referrals`,
    headers: REASON,
    body: (c: Context) => ({
      breachIds: [c.breachId],
      prosecutorOffice: 'Osnovno javno tužilaštvo u Nišu',
      referredOn: '2026-01-06',
    }),
    // The person is in PU-NIS: not the officer's PU-BEOGRAD.
    expect: { anonymous: 401, registry_clerk: 201, police_officer: 404, others: 403 },
  },
  {
    route: 'GET persons/:id/referrals',
    url: (c) => `/api/v1/persons/${c.personId}/referrals`,
    headers: REASON,
    expect: { ...READERS(200), police_officer: 404, judicial_officer: 403 },
  },
  {
    route: 'PATCH persons/:id/referrals/:referralId',
    url: (c) => `/api/v1/persons/${c.personId}/referrals/${c.referralId}`,
    headers: { ...REASON, 'If-Match': '"1"' },
    body: { outcome: 'dismissed', outcomeOn: '2026-01-20' },
    expect: { anonymous: 401, registry_clerk: 200, police_officer: 404, others: 403 },
  },
  {
    route: 'POST persons/:id/referrals/:referralId/void',
    url: (c) => `/api/v1/persons/${c.personId}/referrals/${c.referralId}/void`,
    headers: REASON,
    expect: { anonymous: 401, registry_clerk: 200, others: 403 },
  },
  {
    route: 'POST persons/:id/notifications',
    url: (c) => `/api/v1/persons/${c.personId}/notifications`,
    headers: REASON,
    body: {
      kind: 'travel_abroad',
      notifiedAt: '2026-01-02T10:00:00Z',
      effectiveOn: '2026-02-01',
      details: { destinationCountry: 'HU', departOn: '2026-02-01', returnOn: '2026-02-05' },
    },
    expect: { anonymous: 401, registry_clerk: 201, police_officer: 404, others: 403 },
  },
  {
    route: 'GET persons/:id/notifications',
    url: (c) => `/api/v1/persons/${c.personId}/notifications`,
    headers: REASON,
    expect: { ...READERS(200), police_officer: 404, judicial_officer: 403 },
  },
  {
    route: 'POST persons/:id/notifications/:notificationId/void',
    url: (c) => `/api/v1/persons/${c.personId}/notifications/${c.notificationId}/void`,
    headers: REASON,
    expect: { anonymous: 401, registry_clerk: 200, others: 403 },
  },
  {
    route: 'POST persons/:id/notifications/:notificationId/return',
    url: (c) => `/api/v1/persons/${c.personId}/notifications/${c.notificationId}/return`,
    headers: REASON,
    body: { returnedOn: '2026-02-05' },
    expect: { anonymous: 401, registry_clerk: 200, police_officer: 404, others: 403 },
  },
  {
    route: 'POST persons/:id/breaches',
    url: (c) => `/api/v1/persons/${c.personId}/breaches`,
    headers: REASON,
    body: (c: Context) => ({
      measureId: c.measureId,
      occurredAt: '2026-01-05T09:00:00Z',
      description: 'Nije se javio',
    }),
    expect: { anonymous: 401, registry_clerk: 201, police_officer: 404, others: 403 },
  },
  {
    route: 'PATCH persons/:id/breaches/:breachId',
    url: (c) => `/api/v1/persons/${c.personId}/breaches/${c.breachId}`,
    headers: { ...REASON, 'If-Match': '1' },
    body: { description: 'Ispravljen opis' },
    expect: { anonymous: 401, registry_clerk: 200, others: 403 },
  },
  {
    route: 'POST persons/:id/breaches/:breachId/void',
    url: (c) => `/api/v1/persons/${c.personId}/breaches/${c.breachId}/void`,
    headers: REASON,
    expect: { anonymous: 401, registry_clerk: 200, others: 403 },
  },
  {
    route: 'POST persons/:id/counselling/:counsellingId/void',
    url: (c) => `/api/v1/persons/${c.personId}/counselling/${c.counsellingId}/void`,
    headers: REASON,
    expect: { anonymous: 401, registry_clerk: 200, others: 403 },
  },
  {
    route: 'PATCH persons/:id/counselling/:counsellingId',
    url: (c) => `/api/v1/persons/${c.personId}/counselling/${c.counsellingId}`,
    headers: { ...REASON, 'If-Match': '1' },
    body: { institution: 'Dom zdravlja Niš' },
    expect: { anonymous: 401, registry_clerk: 200, others: 403 },
  },
  {
    route: 'GET persons/:id/breaches',
    url: (c) => `/api/v1/persons/${c.personId}/breaches`,
    headers: REASON,
    expect: { ...READERS(200), police_officer: 404, judicial_officer: 403 },
  },
  {
    route: 'POST persons/:id/counselling',
    url: (c) => `/api/v1/persons/${c.personId}/counselling`,
    headers: REASON,
    // The measure is a reporting one, not counselling: 400 for those who may record.
    body: (c: Context) => ({ measureId: c.measureId, attendedOn: '2026-01-05', institution: 'CSR Niš' }),
    expect: { anonymous: 401, registry_clerk: 400, police_officer: 404, others: 403 },
  },
  {
    route: 'GET persons/:id/counselling',
    url: (c) => `/api/v1/persons/${c.personId}/counselling`,
    headers: REASON,
    expect: { ...READERS(200), police_officer: 404, judicial_officer: 403 },
  },
  {
    route: 'POST persons/:id/acknowledgements',
    url: (c) => `/api/v1/persons/${c.personId}/acknowledgements`,
    headers: REASON,
    upload: PNG_BYTES,
    fields: (c) => ({ measureIds: JSON.stringify([c.measureId]), explainedOn: '2026-01-05', explainedBy: 'M. Jović' }),
    expect: { anonymous: 401, registry_clerk: 201, others: 403 },
  },
  {
    route: 'GET persons/:id/acknowledgements',
    url: (c) => `/api/v1/persons/${c.personId}/acknowledgements`,
    headers: REASON,
    // The person is in PU-NIS; the test officer is of PU-BEOGRAD. Judicial officers read measures, and these with them.
    expect: { ...READERS(200), police_officer: 404 },
  },
  {
    route: 'GET persons/:id/acknowledgements/:acknowledgementId/form',
    url: (c) => `/api/v1/persons/${c.personId}/acknowledgements/${c.acknowledgementId}/form`,
    headers: REASON,
    expect: { ...READERS(200), police_officer: 404 },
  },
  {
    route: 'PATCH persons/:id/acknowledgements/:acknowledgementId',
    url: (c) => `/api/v1/persons/${c.personId}/acknowledgements/${c.acknowledgementId}`,
    headers: { ...REASON, 'If-Match': '1' },
    body: { explainedBy: 'Milan Jović, savetnik za izvršenje' },
    expect: { anonymous: 401, registry_clerk: 200, others: 403 },
  },
  {
    route: 'POST persons/:id/acknowledgements/:acknowledgementId/void',
    url: (c) => `/api/v1/persons/${c.personId}/acknowledgements/${c.acknowledgementId}/void`,
    headers: REASON,
    expect: { anonymous: 401, registry_clerk: 200, others: 403 },
  },
  {
    route: 'POST persons/:id/disclosures',
    url: (c) => `/api/v1/persons/${c.personId}/disclosures`,
    headers: REASON,
    body: {
      recipient: { authority: 'ORFK', country: 'HU' },
      channel: 'interpol',
      legalBasis: 'Zakon o međunarodnoj pravnoj pomoći',
      caseReference: 'INT-2',
      fields: ['identity'],
    },
    expect: { anonymous: 401, registry_clerk: 201, others: 403 },
  },
  {
    route: 'GET disclosures',
    url: () => '/api/v1/disclosures',
    headers: REASON,
    // Auditors read the records (never the packages).
    expect: { anonymous: 401, registry_clerk: 200, auditor: 200, others: 403 },
  },
  {
    route: 'GET disclosures/:id/package',
    url: (c) => `/api/v1/disclosures/${c.disclosureId}/package`,
    headers: REASON,
    expect: { anonymous: 401, registry_clerk: 200, others: 403 },
  },
  {
    route: 'GET persons/:id/case-file',
    url: (c) => `/api/v1/persons/${c.personId}/case-file?recipient=${encodeURIComponent('OJT u Nišu')}`,
    headers: REASON,
    // Issued to a prosecutor by clerks and judicial officers; not by officers, admins or auditors.
    expect: { anonymous: 401, registry_clerk: 200, judicial_officer: 200, others: 403 },
  },
  {
    route: 'GET compliance/overdue',
    url: () => '/api/v1/compliance/overdue',
    headers: REASON,
    expect: READERS(200),
  },
  {
    route: 'GET compliance/due',
    url: () => '/api/v1/compliance/due',
    headers: REASON,
    expect: READERS(200),
  },
  {
    route: 'GET compliance/releases',
    url: () => '/api/v1/compliance/releases',
    headers: REASON,
    // It shows where each person is to live: not for judicial officers, who do not read addresses.
    expect: { anonymous: 401, registry_clerk: 200, police_officer: 200, others: 403 },
  },
  {
    route: 'GET compliance/address-checks/due',
    url: () => '/api/v1/compliance/address-checks/due',
    headers: REASON,
    expect: { anonymous: 401, registry_clerk: 200, police_officer: 200, others: 403 },
  },
  {
    route: 'GET compliance/proximity',
    url: () => '/api/v1/compliance/proximity?metres=300',
    headers: REASON,
    // It shows where each person lives or works: for those who read addresses.
    expect: { anonymous: 401, registry_clerk: 200, police_officer: 200, others: 403 },
  },
  {
    route: 'GET alerts',
    url: () => '/api/v1/alerts',
    headers: REASON,
    expect: { anonymous: 401, registry_clerk: 200, police_officer: 200, others: 403 },
  },
  {
    route: 'GET alerts/:id',
    url: (c) => `/api/v1/alerts/${c.alertId}`,
    headers: REASON,
    // The alert is PU-NIS's; the test officer is of PU-BEOGRAD.
    expect: { anonymous: 401, registry_clerk: 200, police_officer: 404, others: 403 },
  },
  {
    route: 'POST alerts/:id/acknowledge',
    url: (c) => `/api/v1/alerts/${c.alertId}/acknowledge`,
    headers: REASON,
    // The alert is PU-NIS's; the test officer is of PU-BEOGRAD.
    expect: { anonymous: 401, registry_clerk: 200, police_officer: 404, others: 403 },
  },
  {
    route: 'POST alerts/:id/resolve',
    url: (c) => `/api/v1/alerts/${c.alertId}/resolve`,
    headers: REASON,
    body: { resolution: 'Javio se naknadno.' },
    expect: { anonymous: 401, registry_clerk: 200, police_officer: 404, others: 403 },
  },
  {
    route: 'GET inbox',
    url: () => '/api/v1/inbox',
    headers: REASON,
    expect: { anonymous: 401, registry_clerk: 200, police_officer: 200, others: 403 },
  },
  {
    route: 'POST inbox/:id/read',
    url: (c) => `/api/v1/inbox/${c.inboxItemId}/read`,
    headers: REASON,
    expect: { anonymous: 401, registry_clerk: 204, police_officer: 204, others: 403 },
  },
  {
    route: 'GET reference/police-administrations',
    url: () => '/api/v1/reference/police-administrations',
    expect: REFERENCE_READERS(200),
  },
  { route: 'GET reference/countries', url: () => '/api/v1/reference/countries', expect: REFERENCE_READERS(200) },
  { route: 'GET reference/offences', url: () => '/api/v1/reference/offences', expect: REFERENCE_READERS(200) },
  {
    route: 'POST reference/offences',
    url: () => '/api/v1/reference/offences',
    headers: REASON,
    body: (c) => ({ article: `${c.article.slice(0, 3)}z`, title: 'Novi član', paragraphs: [], juvenileOnly: true }),
    expect: ADMIN_ONLY(201),
  },
  {
    route: 'PATCH reference/offences/:article',
    url: (c) => `/api/v1/reference/offences/${c.article}`,
    headers: { ...REASON, 'If-Match': '"1"' },
    body: { paragraphs: [1] },
    expect: ADMIN_ONLY(200),
  },
  {
    route: 'GET reference/uiks-offices',
    url: () => '/api/v1/reference/uiks-offices',
    expect: REFERENCE_READERS(200),
  },
  {
    route: 'POST reference/uiks-offices',
    url: () => '/api/v1/reference/uiks-offices',
    headers: REASON,
    body: (c) => ({ code: `${c.officeCode}-NEW`, name: 'Nova kancelarija', policeAdministrations: ['PU-BOR'] }),
    expect: ADMIN_ONLY(201),
  },
  {
    route: 'PATCH reference/uiks-offices/:code',
    url: (c) => `/api/v1/reference/uiks-offices/${c.officeCode}`,
    headers: { ...REASON, 'If-Match': '"1"' },
    body: { active: false },
    expect: ADMIN_ONLY(200),
  },
  {
    route: 'GET reference/counselling-institutions',
    url: () => '/api/v1/reference/counselling-institutions',
    expect: REFERENCE_READERS(200),
  },
  {
    route: 'POST reference/counselling-institutions',
    url: () => '/api/v1/reference/counselling-institutions',
    headers: REASON,
    body: (c) => ({ code: `${c.institutionCode}-NEW`, name: 'Novi centar', city: 'Bor' }),
    expect: ADMIN_ONLY(201),
  },
  {
    route: 'PATCH reference/counselling-institutions/:code',
    url: (c) => `/api/v1/reference/counselling-institutions/${c.institutionCode}`,
    headers: { ...REASON, 'If-Match': '"1"' },
    body: { active: false },
    expect: ADMIN_ONLY(200),
  },
  {
    route: 'GET reference/places',
    url: () => '/api/v1/reference/places?kind=school',
    // Readers of the register, and the admins who edit them.
    expect: { anonymous: 401, auditor: 403, vetting_officer: 403, others: 200 },
  },
  {
    route: 'POST reference/places',
    url: () => '/api/v1/reference/places',
    headers: REASON,
    body: (c) => ({
      externalId: `${c.placeId}-NEW`.slice(0, 60),
      kind: 'playground',
      name: 'Igralište',
      address: 'Park 1',
      latitude: 43.3,
      longitude: 21.9,
    }),
    expect: ADMIN_ONLY(201),
  },
  {
    route: 'PATCH reference/places/:id',
    url: (c) => `/api/v1/reference/places/${c.placeId}`,
    headers: { ...REASON, 'If-Match': '"1"' },
    body: { active: false },
    expect: ADMIN_ONLY(200),
  },
  { route: 'GET reference/history', url: () => '/api/v1/reference/history?kind=offence', expect: ADMIN_ONLY(200) },
  {
    route: 'GET reference/measure-types',
    url: () => '/api/v1/reference/measure-types',
    expect: REFERENCE_READERS(200),
  },
  {
    route: 'POST vetting-requests',
    url: () => '/api/v1/vetting-requests',
    body: {
      employer: { name: 'Osnovna škola', registryNumber: '07001234' },
      activity: 'Nastavnik',
      candidate: { givenNames: 'Petar', surname: 'Petrović', jmbg: '0101990710008' },
      legalBasis: 'Zakon o osnovama sistema obrazovanja i vaspitanja, čl. 139',
      requestReference: 'OŠ 1/2026',
    },
    expect: VETTING_OFFICER_ONLY(201),
  },
  {
    route: 'GET vetting-requests/volume',
    url: () => '/api/v1/vetting-requests/volume',
    expect: AUDITOR_ONLY(200),
  },
  {
    route: 'GET statistics',
    url: () => '/api/v1/statistics?groupBy=region',
    // Figures for the competent authorities: officers their region's; not admins nor vetting officers.
    expect: {
      anonymous: 401,
      registry_clerk: 200,
      police_officer: 200,
      judicial_officer: 200,
      auditor: 200,
      others: 403,
    },
  },
  {
    route: 'GET statistics/report',
    url: () => '/api/v1/statistics/report?format=csv',
    // The national yearly report: not the officers'.
    expect: { anonymous: 401, registry_clerk: 200, judicial_officer: 200, auditor: 200, others: 403 },
  },
  {
    route: 'GET vetting-requests/:id/certificate',
    url: (c) => `/api/v1/vetting-requests/${c.vettingRequestId}/certificate`,
    expect: VETTING_OFFICER_ONLY(200),
  },
  {
    route: 'GET vetting/verify/:certificateNumber',
    url: (c) => `/api/v1/vetting/verify/${c.certificateNumber}`,
    expect: PUBLIC(200),
  },
  { route: 'GET .well-known/jwks.json', url: () => '/.well-known/jwks.json', expect: PUBLIC(200) },
  { route: 'GET health/live', url: () => '/health/live', expect: PUBLIC(200) },
  { route: 'GET health/ready', url: () => '/health/ready', expect: PUBLIC(200) },
  { route: 'GET metrics', url: () => '/metrics', expect: PUBLIC(200) },
];

/** A number as capital letters (1: B, 26: BA, ...), for codes that allow letters only. */
function lettersOf(n: number): string {
  let letters = '';
  do {
    letters = String.fromCharCode(65 + (n % 26)) + letters;
    n = Math.floor(n / 26);
  } while (n > 0);
  return letters;
}

let matrixCase = 0;

describe('access matrix', () => {
  let t: TestApp;
  /** The admin who requests the role changes the callers confirm. */
  let requesterId: string;

  beforeAll(async () => {
    // Hundreds of sign-ins from one address: the rate limit is tested elsewhere.
    t = await startTestApp({ RATE_LIMIT_MAX: '100000' });
    requesterId = (await createAccount(t, 'admin')).user.id;
    // Something sealed, for the checkpoint route (once no open transaction of the cluster holds the watermark back).
    await createAccount(t, 'auditor');
    await sealWritten(t);
  });

  afterAll(async () => {
    await t.close();
  });

  it('every route under /api/v1 declares its audit action', () => {
    const undeclared = registeredRoutes(t).filter(
      (r) => !r.route.match(/^\w+ (health|metrics|\.well-known)/) && !r.audited,
    );
    expect(undeclared.map((r) => r.route)).toEqual([]);
  });

  it('every route is in the OpenAPI document with a summary, and with bearer security unless public', async () => {
    const docs = (await request(t.server).get('/api/docs-json')).body as {
      paths: Record<string, Record<string, { summary?: string; security?: unknown[] }>>;
    };
    const missing: string[] = [];
    let checked = 0;
    for (const { route, isPublic } of registeredRoutes(t)) {
      if (/^GET metrics$/.test(route)) continue; // excluded from the docs on purpose
      checked += 1;
      const [method, path] = route.split(' ');
      const prefixed = /^(health|\.well-known)\//.test(path) ? `/${path}` : `/api/v1/${path}`;
      const operation = docs.paths[prefixed.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
      if (!operation?.summary) missing.push(`${route}: no summary`);
      else if (!isPublic && !operation.security?.length) missing.push(`${route}: no security`);
    }
    expect(missing).toEqual([]);
    expect(checked).toBe(MATRIX.length - 1);
  });

  it('every registered route declares its access (permission, authenticated or public)', () => {
    const routes = registeredRoutes(t);
    expect(routes.length).toBeGreaterThan(10);
    expect(routes.filter((r) => !r.declared).map((r) => r.route)).toEqual([]);
  });

  it('the matrix names every registered route, and only those', () => {
    const registered = registeredRoutes(t)
      .map((r) => r.route)
      .sort();
    expect(MATRIX.map((c) => c.route).sort()).toEqual(registered);
  });

  const cases = MATRIX.flatMap((c) =>
    CALLERS.map((caller) => [c.route, caller, c.expect[caller] ?? c.expect.others, c] as const),
  );

  it.each(cases)('%s as %s → %i', async (_route, caller, status, c) => {
    const target = await createAccount(t, 'auditor');
    const headers: Record<string, string> = { ...c.headers };
    let signedInUserId = target.user.id;
    if (caller !== 'anonymous') {
      const account = await signedIn(t, caller, caller === 'police_officer' ? 'PU-BEOGRAD' : null);
      Object.assign(headers, bearer(account.accessToken));
      signedInUserId = account.user.id;
    }
    const method = c.route.split(' ')[0].toLowerCase() as 'get' | 'post' | 'patch' | 'put';
    const requestId = rid('matrix');
    const [event] = await t.dataSource.query(`SELECT id FROM audit_events ORDER BY seq DESC LIMIT 1`);
    const person = await registerPerson(t);
    const addressId = await insertAddress(t, person.id, 'PU-NIS');
    const convictionId = await insertConviction(t, person.id);
    const measureId = await insertMeasure(t, person.id, 'PU-NIS');
    const [{ id: workplaceId }] = await t.dataSource.query(
      `INSERT INTO workplaces (person_id, employer, address, involves_minors, valid_from)
       VALUES ($1, 'Prva firma', 'Niš', false, '2026-01-01') RETURNING id`,
      [person.id],
    );
    const [{ id: photoId }] = await t.dataSource.query(
      `INSERT INTO photos (person_id, content_type, size_bytes, sha256, data)
       VALUES ($1, 'image/png', $2, 'x', $3) RETURNING id`,
      [person.id, PNG_BYTES.length, PNG_BYTES],
    );
    const [{ id: checkInId }] = await t.dataSource.query(
      `INSERT INTO check_ins (person_id, measure_id, occurred_at, place, method, recorded_by)
       VALUES ($1, $2, '2026-01-05T09:00:00Z', 'PU Niš', 'in_person', $3) RETURNING id`,
      [person.id, measureId, target.user.id],
    );
    const [{ id: notificationId }] = await t.dataSource.query(
      `INSERT INTO notifications (person_id, kind, notified_at, effective_on, details, deadline, on_time, recorded_by)
       VALUES ($1, 'travel_abroad', '2026-01-02T10:00:00Z', '2026-02-01',
             '{"destinationCountry":"HU","departOn":"2026-02-01","returnOn":"2026-02-05"}', '2026-01-24', true, $2)
     RETURNING id`,
      [person.id, target.user.id],
    );
    const [{ id: breachId }] = await t.dataSource.query(
      `INSERT INTO breaches (person_id, measure_id, occurred_at, description, recorded_by)
       VALUES ($1, $2, '2026-01-05T09:00:00Z', 'Nije se javio', $3) RETURNING id`,
      [person.id, measureId, target.user.id],
    );
    const [{ id: counsellingMeasureId }] = await t.dataSource.query(
      `INSERT INTO measures (person_id, type, starts_on, ends_on) VALUES ($1, 'counselling', '2025-06-02', '2030-06-01')
       RETURNING id`,
      [person.id],
    );
    const [{ id: counsellingId }] = await t.dataSource.query(
      `INSERT INTO counselling_attendances (person_id, measure_id, attended_on, institution, recorded_by)
       VALUES ($1, $2, '2026-01-05', 'CSR Niš', $3) RETURNING id`,
      [person.id, counsellingMeasureId, target.user.id],
    );
    const [{ id: alertId }] = await t.dataSource.query(
      `INSERT INTO alerts (kind, person_id, measure_id, source_id, due_date, police_administration)
       VALUES ('missed_check_in', $1, $2, $2, '2025-07-01', 'PU-NIS') RETURNING id`,
      [person.id, measureId],
    );
    const [{ id: inboxItemId }] = await t.dataSource.query(
      `INSERT INTO inbox_items (user_id, kind, alert_id, person_id, source_id, due_date)
       VALUES ($1, 'missed_check_in', $2, $3, $2, '2025-07-01') RETURNING id`,
      [caller === 'anonymous' ? target.user.id : signedInUserId, alertId, person.id],
    );
    const acknowledgementId = await insertAcknowledgement(t, person.id, [measureId], target.user.id);
    const disclosureId = await insertDisclosure(t, person.id, target.user.id);
    const [{ id: addressCheckId }] = await t.dataSource.query(
      `INSERT INTO address_checks (person_id, address_id, police_administration, checked_at, outcome, note, recorded_by)
       VALUES ($1, $2, 'PU-NIS', '2026-01-05T20:00:00Z', 'confirmed', 'Zatečen', $3) RETURNING id`,
      [person.id, addressId, target.user.id],
    );
    const referralId = await insertReferral(t, person.id, alertId, target.user.id);
    const [{ id: roleChangeId }] = await t.dataSource.query(
      `INSERT INTO user_role_changes (user_id, role, from_role, requested_by)
       VALUES ($1, 'registry_clerk', 'auditor', $2) RETURNING id`,
      [target.user.id, requesterId],
    );
    // A fresh office and article per case: the admin's case changes them.
    matrixCase += 1;
    const officeCode = `UIKS-MATRIX-${lettersOf(matrixCase)}`;
    const article = `${String(100 + matrixCase).padStart(3, '0')}y`;
    await t.dataSource.query(`INSERT INTO uiks_offices (code, name) VALUES ($1, 'Kancelarija')`, [officeCode]);
    await t.dataSource.query(`INSERT INTO offences (article, title) VALUES ($1, 'Član')`, [article]);
    const institutionCode = `CSR-MATRIX-${lettersOf(matrixCase)}`;
    await t.dataSource.query(`INSERT INTO counselling_institutions (code, name, city) VALUES ($1, 'Centar', 'Bor')`, [
      institutionCode,
    ]);
    const [{ id: placeId }] = await t.dataSource.query(
      `INSERT INTO places (external_id, kind, name, address, latitude, longitude)
       VALUES ($1, 'school', 'Škola', 'Ulica 1', 43.32, 21.89) RETURNING id`,
      [`MATRIX-${matrixCase}`],
    );
    const certificateNumber = newCertificateNumber();
    const [{ id: vettingRequestId }] = await t.dataSource.query(
      `INSERT INTO vetting_requests (employer_name, employer_registry_number, activity, public_office, legal_basis,
              request_reference, candidate_given_names, candidate_surname, candidate_identifier_kind,
              candidate_identifier_hash, barred, certificate_number, issued_on, valid_until, issued_by)
       VALUES ('Škola', '07001234', 'Nastavnik', false, 'Zakon', 'Ref 1', 'Petar', 'Petrović', 'jmbg', $1, false, $2,
               current_date, current_date + 89, $3) RETURNING id`,
      [`hmac:${'A'.repeat(43)}`, certificateNumber, target.user.id],
    );
    const context: Context = {
      vettingRequestId,
      certificateNumber,
      placeId,
      officeCode,
      institutionCode,
      article,
      targetId: target.user.id,
      roleChangeId,
      eventId: event.id,
      personId: person.id,
      addressId,
      convictionId,
      measureId,
      workplaceId,
      photoId,
      checkInId,
      notificationId,
      breachId,
      counsellingId,
      alertId,
      inboxItemId,
      acknowledgementId,
      addressCheckId,
      disclosureId,
      referralId,
    };
    let call = request(t.server)[method](c.url(context)).set(headers).set('X-Request-Id', requestId);
    if (c.body) call = call.send(typeof c.body === 'function' ? c.body(context) : c.body);
    for (const [name, value] of Object.entries(c.fields?.(context) ?? {})) call = call.field(name, value);
    if (c.upload) call = call.attach('file', c.upload, 'photo.png');
    const res = await call;
    expect({ status: res.status, type: res.status >= 400 ? res.body.type : undefined }).toEqual({
      status,
      type: status >= 400 ? expect.stringMatching(/^urn:register:problem:/) : undefined,
    });
    // Every route under /api/v1 leaves exactly one event; a person's route names the person, whatever the outcome.
    if (c.url({} as Context).startsWith('/api/v1/') || c.route.startsWith('POST auth')) {
      const events = await eventsOf(t, requestId);
      expect(events).toHaveLength(1);
      expect(events[0].http_status).toBe(status);
      if (c.route.includes('persons/:id') && caller !== 'anonymous' && status !== 403) {
        expect(events[0].subject_person_ids).toEqual([person.id]);
      }
    }
  });
});
