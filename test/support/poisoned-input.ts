import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/internal';
import { createValidationPipe, PROBLEM_TYPE_PREFIX } from '@app/common';
import { outcomeOfStatus } from '@app/audit';
import { createAccount, login, type TestAccount, type Tokens } from './identity';
import { RawClient, type RawResponse } from './raw-http';
import { insertRecords, type Records } from './records';
import { REASON } from './register';
import { type RegisteredRoute, registeredRoutes, urlOf } from './routes';
import { describeExchange, unsafeAnswer } from './safe-answer';
import type { TestApp } from './test-app';

/**
 * Poisoned input on every route, as every role: a valid request for each
 * registered route (its query and body), from which the attack suites make
 * variants that differ from it in one value only (a string with a NUL, a
 * date that does not exist, a name of invisible characters). Whatever the
 * variant, the answer is a 4xx problem and exactly one audit event; a
 * caller that gets past authentication and authorisation gets 400 naming
 * the poisoned field, which shows the value was refused as input and never
 * reached the database.
 */

export type SignedInRole =
  'registry_clerk' | 'police_officer' | 'judicial_officer' | 'auditor' | 'admin' | 'vetting_officer';
export type Caller = SignedInRole | 'anonymous';
const SIGNED_IN: SignedInRole[] = [
  'registry_clerk',
  'police_officer',
  'judicial_officer',
  'auditor',
  'admin',
  'vetting_officer',
];
export const CALLERS: Caller[] = [...SIGNED_IN, 'anonymous'];

export interface Ids extends Records {
  /** An account no caller is: the admin routes act on it. */
  targetUserId: string;
  eventId: string;
}

/** A valid request to a route: values as sent (query values before percent-encoding). */
export interface ValidInput {
  query?: Record<string, string>;
  body?: (ids: Ids) => Record<string, unknown>;
  headers?: Record<string, string>;
}

const IF_MATCH = { 'If-Match': '"1"' };
const ADDRESS = {
  kind: 'temporary',
  street: 'Obrenovićeva 12',
  city: 'Niš',
  postalCode: '18000',
  policeAdministration: 'PU-NIS',
  validFrom: '2026-11-01',
};
const PERSON = {
  surname: 'Petrović',
  givenNames: 'Petar Marko',
  parentNames: 'Marko i Jelena',
  jmbg: '0101990710008',
  identityDocument: { type: 'passport', number: 'P1234567', issuingCountry: 'RS' },
  dateOfBirth: '1990-01-01',
  placeOfBirth: 'Beograd',
  sex: 'M',
  citizenship: 'RS',
  aliases: ['Pera', 'Перица'],
};
const CONVICTION = {
  court: 'Viši sud u Beogradu',
  caseNumber: 'K 9/2021',
  judgmentDate: '2021-01-01',
  finalityDate: '2021-03-01',
  offences: [{ article: '185a', paragraph: 1 }],
  victimAge: 'minor',
  sentence: { kind: 'imprisonment', months: 24 },
  releaseDate: '2023-03-01',
};
const WORKPLACE = { employer: 'Gradsko zelenilo d.o.o.', address: 'Bulevar Nemanjića 2, Niš', validFrom: '2026-02-01' };
const PAGE = { limit: '5' };

/**
 * One valid request per registered route: every query parameter and body
 * field the route takes, so that each can be poisoned in turn. A route
 * added without an entry here fails the suites that use it.
 */
export const VALID_INPUTS: Record<string, ValidInput> = {
  'POST auth/login': { body: () => ({ username: 'nobody', password: 'a long enough passphrase', otp: '123456' }) },
  'POST auth/refresh': { body: () => ({ refreshToken: 'x'.repeat(43) }) },
  'POST auth/logout': {},
  'POST auth/password': {
    body: () => ({ currentPassword: 'a long enough passphrase', newPassword: 'another long passphrase' }),
  },
  'GET auth/me': {},
  'POST auth/mfa/enroll': { body: () => ({ otp: '123456' }) },
  'POST auth/mfa/activate': { body: () => ({ otp: '123456' }) },
  'POST users': {
    body: () => ({
      username: 'n.novak',
      password: 'a long enough passphrase',
      displayName: 'Nikola Novaković',
      role: 'police_officer',
      organisation: 'MUP, PU za grad Niš',
      region: 'PU-NIS',
      email: 'n.novak@mup.gov.rs',
    }),
  },
  'GET users': { query: { role: 'police_officer', region: 'PU-NIS', active: 'true', ...PAGE } },
  'GET users/:id': {},
  'PATCH users/:id': {
    headers: IF_MATCH,
    body: () => ({
      displayName: 'Nikola Novaković',
      role: 'auditor',
      region: 'PU-NIS',
      email: 'n.novak@mup.gov.rs',
      active: true,
    }),
  },
  'GET users/role-changes': { query: PAGE },
  'POST users/:id/role-changes/:changeId/confirm': {},
  'POST users/:id/reset-password': {},
  'POST users/:id/reset-mfa': {},
  'POST users/:id/revoke-sessions': {},
  'GET audit/events': {
    query: {
      actorId: '00000000-0000-4000-8000-000000000001',
      actorUsername: 'police.officer',
      subjectId: '00000000-0000-4000-8000-000000000002',
      subjectJmbg: '0101990710008',
      action: 'person.read',
      outcome: 'allowed',
      flagged: 'true',
      reviewed: 'false',
      from: '2026-01-01',
      to: '2026-12-31T23:59:59+01:00',
      ...PAGE,
    },
  },
  'POST audit/events/:id/review': { body: () => ({ note: 'Provereno sa službenikom: predmet KT-123/2026.' }) },
  'GET audit/verify': {},
  'POST audit/verify': {
    body: () => ({
      checkpoint: {
        sealedThrough: 1,
        treeSize: 1,
        root: '0'.repeat(64),
        signedAt: '2026-11-28T10:00:00Z',
        keyId: 'audit-2026',
        signature: 'A'.repeat(86),
      },
    }),
  },
  'GET audit/checkpoints/latest': {},
  'GET audit/keys': {},
  'GET audit/export': { query: { from: '2026-01-01', to: '2026-01-02T00:00:00Z', recipient: 'Poverenik, Beograd' } },
  'POST persons': { body: () => PERSON },
  'GET persons': { query: { q: 'Petrović', jmbg: '0101990710008', region: 'PU-NIS', status: 'due', ...PAGE } },
  'GET persons/lookup': { query: { jmbg: '0101990710008' } },
  'GET persons/:id': {},
  'PATCH persons/:id': { headers: IF_MATCH, body: () => PERSON },
  'GET persons/:id/history': { query: PAGE },
  'POST persons/:id/addresses': { body: () => ADDRESS },
  'GET persons/:id/addresses': { query: PAGE },
  'PATCH persons/:id/addresses/:addressId': {
    headers: IF_MATCH,
    body: () => {
      const { kind: _kind, ...correction } = ADDRESS;
      return correction;
    },
  },
  'PUT persons/:id/dna-reference': {
    body: () => ({
      laboratory: 'NCFE Beograd',
      sampleId: 'S-2026-000123',
      profileReference: 'RS-DNA-000123',
      collectedOn: '2026-10-01',
    }),
  },
  'PUT persons/:id/physical-description': {
    body: () => ({
      heightCm: 182,
      weightKg: 80,
      eyeColour: 'smeđe',
      hairColour: 'crna',
      build: 'atletska',
      distinguishingMarks: [{ bodyPart: 'leva podlaktica', description: 'tetovaža sidra' }],
    }),
  },
  'POST persons/:id/convictions': { body: () => CONVICTION },
  'POST persons/:id/releases': {
    headers: IF_MATCH,
    body: (ids) => ({ convictionId: ids.convictionId, releasedOn: '2025-05-30', facility: 'KPZ Niš' }),
  },
  'GET persons/:id/convictions': {},
  'PATCH persons/:id/convictions/:convictionId': { headers: IF_MATCH, body: () => CONVICTION },
  'POST persons/:id/measures': {
    body: () => ({
      type: 'periodic_reporting',
      startsOn: '2025-06-02',
      endsOn: '2030-06-01',
      reportTo: 'PU-NIS',
      schedule: { kind: 'weekdays', weekdays: [1, 4] },
      uiks: { office: 'UIKS-NIS', schedule: { kind: 'every_days', everyDays: 30 } },
    }),
  },
  'GET persons/:id/measures': {},
  'PATCH persons/:id/measures/:measureId': {
    headers: IF_MATCH,
    body: () => ({ action: 'suspend', effectiveOn: '2026-01-01' }),
  },
  'POST persons/:id/workplaces': { body: () => ({ ...WORKPLACE, involvesMinors: false, publicOffice: false }) },
  'GET persons/:id/workplaces': {},
  'PATCH persons/:id/workplaces/:workplaceId': {
    headers: IF_MATCH,
    body: () => ({ ...WORKPLACE, involvesMinors: true }),
  },
  // Multipart: the route reads its own body (tested by the photo attacks); here its headers and query.
  'POST persons/:id/photos': {},
  'GET persons/:id/photos': {},
  'GET persons/:id/photos/:photoId': {},
  'POST persons/:id/check-ins': {
    body: (ids) => ({
      measureId: ids.measureId,
      occurredAt: '2026-01-05T09:00:00+01:00',
      place: 'PU Niš, Vožda Karađorđa 2',
      method: 'in_person',
      authority: 'police',
    }),
  },
  'GET persons/:id/check-ins': { query: PAGE },
  'POST persons/:id/check-ins/:checkInId/void': {},
  'POST persons/:id/arrivals': { body: () => ({ policeAdministration: 'PU-BEOGRAD', validUntil: '2026-12-31' }) },
  'GET persons/:id/arrivals': {},
  // A residence change carries a whole address in its details, checked as one.
  'POST persons/:id/notifications': {
    body: () => ({
      kind: 'residence_change',
      notifiedAt: '2026-11-02T10:00:00Z',
      effectiveOn: '2026-11-01',
      details: { address: ADDRESS },
    }),
  },
  'GET persons/:id/notifications': { query: PAGE },
  'POST persons/:id/notifications/:notificationId/void': {},
  'POST persons/:id/notifications/:notificationId/return': { body: () => ({ returnedOn: '2026-02-05' }) },
  'POST persons/:id/breaches': {
    body: (ids) => ({
      measureId: ids.measureId,
      occurredAt: '2026-01-05T09:00:00Z',
      description: 'Nije se javio.',
      kind: 'other',
    }),
  },
  'PATCH persons/:id/breaches/:breachId': {
    headers: IF_MATCH,
    body: () => ({ occurredAt: '2026-01-05T09:00:00Z', description: 'Nije se javio ni posle poziva.' }),
  },
  'POST persons/:id/breaches/:breachId/void': {},
  'GET persons/:id/breaches': { query: PAGE },
  'POST persons/:id/counselling': {
    body: (ids) => ({ measureId: ids.counsellingMeasureId, attendedOn: '2026-01-05', institution: 'CSR Niš' }),
  },
  'PATCH persons/:id/counselling/:counsellingId': {
    headers: IF_MATCH,
    body: () => ({ attendedOn: '2026-01-06', institution: 'Dom zdravlja Niš' }),
  },
  'POST persons/:id/counselling/:counsellingId/void': {},
  'GET persons/:id/counselling': { query: PAGE },
  // Multipart, as photos: the fields are checked by the acknowledgement tests; here its headers and query.
  'POST persons/:id/acknowledgements': {},
  'GET persons/:id/acknowledgements': { query: PAGE },
  'GET persons/:id/acknowledgements/:acknowledgementId/form': {},
  'PATCH persons/:id/acknowledgements/:acknowledgementId': {
    headers: IF_MATCH,
    body: (ids) => ({ measureIds: [ids.measureId], explainedOn: '2026-01-06', explainedBy: 'Milan Jović, savetnik' }),
  },
  'POST persons/:id/acknowledgements/:acknowledgementId/void': {},
  'POST persons/:id/address-checks': {
    body: (ids) => ({
      addressId: ids.addressId,
      checkedAt: '2026-01-05T20:00:00+01:00',
      outcome: 'absent',
      note: 'Nije zatečen na adresi.',
    }),
  },
  'GET persons/:id/address-checks': { query: PAGE },
  'POST persons/:id/address-checks/:checkId/void': {},
  'POST persons/:id/disclosures': {
    body: (ids) => ({
      recipient: { authority: 'ORFK Nemzeti Központi Iroda', country: 'HU' },
      channel: 'bilateral',
      legalBasis: 'Zakon o međunarodnoj pravnoj pomoći u krivičnim stvarima',
      caseReference: 'KT-100/2026',
      fields: ['identity', 'measures', 'travel_notices'],
      travelNoticeId: ids.notificationId,
    }),
  },
  'GET disclosures': { query: { from: '2026-01-01', to: '2026-12-31', country: 'HU', ...PAGE } },
  'GET disclosures/:id/package': { query: { format: 'pdf' } },
  'POST persons/:id/referrals': {
    body: (ids) => ({
      breachIds: [ids.breachId],
      prosecutorOffice: 'Osnovno javno tužilaštvo u Nišu',
      referredOn: '2026-01-06',
    }),
  },
  'GET persons/:id/referrals': { query: PAGE },
  'PATCH persons/:id/referrals/:referralId': {
    headers: IF_MATCH,
    body: () => ({ outcome: 'charged', outcomeOn: '2026-01-20', caseNumber: 'KT 12/26' }),
  },
  'POST persons/:id/referrals/:referralId/void': {},
  'GET persons/:id/case-file': { query: { recipient: 'Osnovno javno tužilaštvo u Nišu', format: 'json' } },
  'GET compliance/overdue': { query: { region: 'PU-NIS', ...PAGE } },
  'GET compliance/due': { query: { region: 'PU-NIS', from: '2026-11-28', to: '2026-12-05', ...PAGE } },
  'GET compliance/proximity': { query: { metres: '300', ...PAGE } },
  'GET compliance/releases': { query: { from: '2026-11-28', to: '2026-12-05', ...PAGE } },
  'GET compliance/address-checks/due': { query: { olderThanDays: '90', ...PAGE } },
  'GET alerts': {
    query: {
      region: 'PU-NIS',
      status: 'open',
      kind: 'missed_check_in',
      personId: '00000000-0000-4000-8000-000000000000',
      ...PAGE,
    },
  },
  'GET alerts/:id': {},
  'POST alerts/:id/acknowledge': {},
  'POST alerts/:id/resolve': { body: () => ({ resolution: 'Javio se naknadno, upozoren pismeno.' }) },
  'GET inbox': { query: { unread: 'true', ...PAGE } },
  'POST inbox/:id/read': {},
  'GET reference/police-administrations': {},
  'GET reference/offences': {},
  'GET reference/uiks-offices': {},
  'POST reference/uiks-offices': {
    body: () => ({
      code: 'UIKS-VRSAC',
      name: 'Poverenička kancelarija Vršac',
      policeAdministrations: ['PU-PANCEVO'],
      active: true,
    }),
  },
  'PATCH reference/uiks-offices/:code': {
    headers: IF_MATCH,
    body: () => ({ name: 'Poverenička kancelarija Vršac', policeAdministrations: ['PU-PANCEVO'], active: false }),
  },
  'GET reference/places': { query: { kind: 'school', active: 'true', ...PAGE } },
  'POST reference/places': {
    body: () => ({
      externalId: 'SKOLA-VRSAC-1',
      kind: 'school',
      name: 'Osnovna škola Vršac',
      address: 'Trg pobede 1, Vršac',
      latitude: 45.12,
      longitude: 21.3,
      active: true,
    }),
  },
  'PATCH reference/places/:id': {
    headers: IF_MATCH,
    body: () => ({
      kind: 'school',
      name: 'Osnovna škola Vršac',
      address: 'Trg pobede 1, Vršac',
      latitude: 45.12,
      longitude: 21.3,
      active: false,
    }),
  },
  'GET reference/counselling-institutions': {},
  'POST reference/counselling-institutions': {
    body: () => ({ code: 'CSR-VRSAC', name: 'Centar za socijalni rad Vršac', city: 'Vršac', active: true }),
  },
  'PATCH reference/counselling-institutions/:code': {
    headers: IF_MATCH,
    body: () => ({ name: 'Centar za socijalni rad Vršac', city: 'Vršac', active: false }),
  },
  'POST reference/offences': {
    body: () => ({
      article: '187',
      title: 'Vanbračna zajednica sa maloletnikom',
      paragraphs: [1],
      juvenileOnly: false,
    }),
  },
  'PATCH reference/offences/:article': {
    headers: IF_MATCH,
    body: () => ({ title: 'Vanbračna zajednica sa maloletnikom', paragraphs: [1, 2], juvenileOnly: false }),
  },
  'GET reference/history': { query: { kind: 'offence', key: '182a', ...PAGE } },
  'GET reference/measure-types': {},
  'GET reference/countries': {},
  'POST vetting-requests': {
    body: () => ({
      employer: { name: 'Osnovna škola "Vuk Karadžić"', registryNumber: '07001234' },
      activity: 'Nastavnik razredne nastave',
      publicOffice: false,
      candidate: { givenNames: 'Petar Marko', surname: 'Petrović', jmbg: '0101990710008' },
      legalBasis: 'Zakon o osnovama sistema obrazovanja i vaspitanja, čl. 139',
      requestReference: 'OŠ-VK 112/2026',
    }),
  },
  'GET vetting-requests/volume': { query: { from: '2026-11-01', to: '2026-12-01', ...PAGE } },
  'GET statistics': { query: { asOf: '2026-11-30', from: '2026-01-01', groupBy: 'region' } },
  'GET statistics/report': { query: { year: '2026', format: 'csv' } },
  'GET vetting-requests/:id/certificate': {},
  'GET vetting/verify/:certificateNumber': {},
  'GET .well-known/jwks.json': {},
  'GET health/live': {},
  'GET health/ready': {},
  'GET metrics': {},
};

/** A route's valid input; a route without one (which the suites report) is still sent its headers and query. */
export function inputOf(route: string): ValidInput {
  return VALID_INPUTS[route] ?? {};
}

// ---------------------------------------------------------------- variants

/** One request that differs from the route's valid one in one value. */
export interface Variant {
  /** What was poisoned, for failure messages: `body surname`, `query from`, `header X-Access-Reason`. */
  label: string;
  query: Record<string, string>;
  body?: unknown;
  headers: Record<string, string>;
  /** The refusal a caller past the guard gets: its problem code and the field it names. */
  expect: { type: 'validation' | 'reason_required'; field: string };
}

/** Every string in a JSON value with its dotted path (`details.address.street`, `aliases.0`). */
export function stringLeaves(value: unknown, path = ''): { path: string; value: string }[] {
  if (typeof value === 'string') return [{ path, value }];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => stringLeaves(item, path ? `${path}.${key}` : key));
}

/** A copy of `value` with the string at `path` replaced. */
function replaced(value: unknown, path: string[], by: string): unknown {
  if (path.length === 0) return by;
  const [key, ...rest] = path;
  if (Array.isArray(value)) return value.map((item, i) => (String(i) === key ? replaced(item, rest, by) : item));
  const object = value as Record<string, unknown>;
  return { ...object, [key]: replaced(object[key], rest, by) };
}

/**
 * The variants of a route's valid request that replace one string value
 * (a query value or a body string) by each of `poison(value, field)`.
 */
export function valueVariants(
  input: ValidInput,
  ids: Ids,
  poison: (value: string, field: string) => string[],
): Variant[] {
  const query = input.query ?? {};
  const body = input.body?.(ids);
  const headers = input.headers ?? {};
  const variants: Variant[] = [];
  for (const [key, value] of Object.entries(query)) {
    for (const bad of poison(value, key)) {
      variants.push({
        label: `query ${key}=${JSON.stringify(bad)}`,
        query: { ...query, [key]: bad },
        body,
        headers,
        expect: { type: 'validation', field: key },
      });
    }
  }
  for (const leaf of stringLeaves(body)) {
    for (const bad of poison(leaf.value, leaf.path)) {
      variants.push({
        label: `body ${leaf.path}=${JSON.stringify(bad)}`,
        query,
        body: replaced(body, leaf.path.split('.'), bad),
        headers,
        expect: { type: 'validation', field: leaf.path },
      });
    }
  }
  return variants;
}

/** The variants that send the route's valid request with each access reason (already percent-encoded). */
export function reasonVariants(input: ValidInput, ids: Ids, reasons: string[]): Variant[] {
  return reasons.map((reason) => ({
    label: `header X-Access-Reason: ${reason}`,
    query: input.query ?? {},
    body: input.body?.(ids),
    headers: { ...input.headers, 'X-Access-Reason': reason },
    expect: { type: 'reason_required', field: 'X-Access-Reason' },
  }));
}

// ---------------------------------------------------------------- the attack

export interface AttackContext {
  t: TestApp;
  client: RawClient;
  ids: Ids;
  accounts: Map<SignedInRole, TestAccount & Tokens>;
}

/** The app with an account of every role (officers of PU-NIS, where the records are) and one of every record. */
export async function prepareAttack(t: TestApp): Promise<AttackContext> {
  const client = await RawClient.start(t.server);
  const accounts = new Map<SignedInRole, TestAccount & Tokens>();
  for (const role of SIGNED_IN) {
    const account = await createAccount(t, role, role === 'police_officer' ? 'PU-NIS' : null);
    accounts.set(role, { ...account, ...(await login(t, account)) });
  }
  const targetUserId = (await createAccount(t, 'auditor')).user.id;
  const clerk = accounts.get('registry_clerk')!;
  const records = await insertRecords(t, clerk.user.id, [clerk.user.id, accounts.get('police_officer')!.user.id]);
  const [{ id: eventId }] = await t.dataSource.query(`SELECT id FROM audit_events ORDER BY seq DESC LIMIT 1`);
  return { t, client, accounts, ids: { ...records, targetUserId, eventId } };
}

/** The existing record each path parameter names. */
export function pathOf(route: RegisteredRoute, ids: Ids): string {
  const byResource: Record<string, string> = {
    users: ids.targetUserId,
    persons: ids.personId,
    alerts: ids.alertId,
    inbox: ids.inboxItemIds[0],
    audit: ids.eventId,
    disclosures: ids.disclosureId,
  };
  const values: Record<string, string> = {
    id: byResource[route.path.split('/')[0]],
    addressId: ids.addressId,
    convictionId: ids.convictionId,
    measureId: ids.measureId,
    workplaceId: ids.workplaceId,
    photoId: ids.photoId,
    checkInId: ids.checkInId,
    notificationId: ids.notificationId,
    breachId: ids.breachId,
    counsellingId: ids.counsellingId,
    acknowledgementId: ids.acknowledgementId,
    checkId: ids.addressCheckId,
    referralId: ids.referralId,
  };
  // A parameter naming nothing recorded here (a pending change): an id that exists nowhere.
  for (const param of route.params) values[param] ??= '00000000-0000-4000-8000-000000000000';
  return urlOf(route, values);
}

/** The DTO types a route's handler validates its query and body with, read from Nest's metadata. */
function declaredTypes(route: RegisteredRoute): { query?: Function; body?: Function } {
  const { controller, handler } = route;
  const args: Record<string, { index: number }> = Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler) ?? {};
  const params: Function[] = Reflect.getMetadata('design:paramtypes', controller.prototype, handler) ?? [];
  const found: { query?: Function; body?: Function } = {};
  for (const [key, { index }] of Object.entries(args)) {
    const type = Number(key.split(':')[0]);
    if (type === RouteParamtypes.QUERY) found.query = params[index];
    if (type === RouteParamtypes.BODY) found.body = params[index];
  }
  return found;
}

/**
 * What is wrong with the valid inputs: routes with no entry, entries for no
 * route, a query or body the route takes and the entry lacks (its fields
 * would go untried) or the other way round, and inputs the route's own
 * validation refuses (a variant of an invalid request would prove nothing
 * about the poisoned value).
 */
export async function invalidInputs(t: TestApp, ids: Ids): Promise<string[]> {
  const registered = registeredRoutes(t);
  const routes = registered.map((r) => r.route);
  const wrong = [
    ...routes.filter((r) => !(r in VALID_INPUTS)).map((r) => `${r}: no valid input`),
    ...Object.keys(VALID_INPUTS)
      .filter((r) => !routes.includes(r))
      .map((r) => `${r}: not a route`),
  ];
  const pipe = createValidationPipe();
  for (const registeredRoute of registered) {
    const { route } = registeredRoute;
    const input = inputOf(route);
    const declared = declaredTypes(registeredRoute);
    const check = async (part: 'query' | 'body', value: unknown, metatype?: Function) => {
      if (value === undefined && metatype) return void wrong.push(`${route}: takes a ${part} the valid input lacks`);
      if (value === undefined) return;
      if (!metatype) return void wrong.push(`${route}: sends a ${part} it does not take`);
      try {
        await pipe.transform(value, { type: part, metatype: metatype as never, data: undefined });
      } catch (error) {
        wrong.push(`${route}: its ${part} is refused: ${JSON.stringify((error as { errors?: unknown }).errors)}`);
      }
    };
    await check('query', input.query, declared.query);
    await check('body', input.body?.(ids), declared.body);
  }
  return wrong;
}

interface Sent {
  caller: Caller;
  variant: Variant;
  requestId: string;
  res: RawResponse;
}

/** An error names a field by its path, or names the list of texts it is in (`aliases` for `aliases.1`). */
const names = (named: string, field: string): boolean =>
  named === field || (field.startsWith(`${named}.`) && /^\d+$/.test(field.slice(named.length + 1)));

const encodeQuery = (query: Record<string, string>): string => {
  const pairs = Object.entries(query).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  return pairs.length > 0 ? `?${pairs.join('&')}` : '';
};

let serial = 0;

/**
 * Sends every variant to the route as every caller (the six callers of a
 * variant at once) and returns what is wrong: an answer that is not a 4xx
 * problem; a caller past the guard (any caller of a public route, where a
 * 401 would be the answer to the poisoned value itself) not refused with
 * 400 naming the field; a request under /api/v1 that left other than exactly one event, or one
 * whose status or outcome differs from the answer; a variant no caller got
 * past the guard with (it would prove nothing).
 */
export async function attackRoute(
  context: AttackContext,
  route: RegisteredRoute,
  variants: Variant[],
): Promise<string[]> {
  const { t, client, accounts, ids } = context;
  const path = pathOf(route, ids);
  const audited = path.startsWith('/api/v1/');
  const sent: Sent[] = [];
  for (const variant of variants) {
    const answers = await Promise.all(
      CALLERS.map(async (caller): Promise<Sent> => {
        serial += 1;
        const requestId = `poison-${process.pid}-${serial}`;
        const headers: Record<string, string> = { 'x-request-id': requestId, ...variant.headers };
        if (!('X-Access-Reason' in headers)) Object.assign(headers, REASON);
        if (caller !== 'anonymous') headers.authorization = `Bearer ${accounts.get(caller)!.accessToken}`;
        const body = variant.body === undefined ? undefined : JSON.stringify(variant.body);
        if (body !== undefined) headers['content-type'] = 'application/json';
        const res = await client.send({ method: route.method, path: path + encodeQuery(variant.query), headers, body });
        return { caller, variant, requestId, res };
      }),
    );
    sent.push(...answers);
  }
  const wrong: string[] = [];
  const describe = (s: Sent) =>
    `${route.route} as ${s.caller}, ${s.variant.label}\n  ${describeExchange(
      { method: route.method, path, headers: s.variant.headers, body: JSON.stringify(s.variant.body) },
      s.res,
    )}`;
  for (const s of sent) {
    const problem = s.res.json as { type?: string; errors?: { field: string }[] } | undefined;
    const unsafe = unsafeAnswer(s.res);
    if (unsafe.length > 0 || s.res.status < 400 || s.res.status >= 500) {
      wrong.push(`${[`status ${s.res.status}`, ...unsafe].join('; ')}: ${describe(s)}`);
    } else if (route.isPublic || (s.res.status !== 401 && s.res.status !== 403)) {
      const type = PROBLEM_TYPE_PREFIX + s.variant.expect.type;
      const named =
        s.variant.expect.type !== 'validation' || problem?.errors?.some((e) => names(e.field, s.variant.expect.field));
      if (s.res.status !== 400 || problem?.type !== type || !named) {
        wrong.push(`not 400 ${s.variant.expect.type} naming ${s.variant.expect.field}: ${describe(s)}`);
      }
    }
  }
  for (const variant of variants) {
    const reached = sent.filter(
      (s) => s.variant === variant && (route.isPublic || (s.res.status !== 401 && s.res.status !== 403)),
    );
    if (reached.length === 0) wrong.push(`${route.route}, ${variant.label}: no caller got past the guard`);
  }
  const events: { request_id: string; n: number; statuses: number[]; outcomes: string[] }[] = await t.dataSource.query(
    `SELECT request_id, count(*)::int AS n, array_agg(http_status) AS statuses, array_agg(outcome::text) AS outcomes
       FROM audit_events WHERE request_id = ANY($1) GROUP BY request_id`,
    [sent.map((s) => s.requestId)],
  );
  const byId = new Map(events.map((e) => [e.request_id, e]));
  for (const s of sent) {
    const event = byId.get(s.requestId);
    const expected = audited ? 1 : 0;
    if ((event?.n ?? 0) !== expected) {
      wrong.push(`${event?.n ?? 0} events, not ${expected}: ${describe(s)}`);
    } else if (event && (event.statuses[0] !== s.res.status || event.outcomes[0] !== outcomeOfStatus(s.res.status))) {
      wrong.push(`event recorded ${event.statuses[0]} ${event.outcomes[0]}: ${describe(s)}`);
    }
  }
  return wrong;
}
