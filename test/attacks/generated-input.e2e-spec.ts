import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { type Role, ROLES } from '@app/authz';
import { createAccount, login, type TestAccount, type Tokens } from '../support/identity';
import { RawClient } from '../support/raw-http';
import { insertRecords, PNG_BYTES, type Records } from '../support/records';
import { REASON } from '../support/register';
import { type RegisteredRoute, registeredRoutes, urlOf } from '../support/routes';
import { describeExchange, isEchoSafe, unsafeAnswer } from '../support/safe-answer';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Hardening, "Attacks" 5: generated path parameters, query strings, bodies
 * and headers, sent to every route the application registered, as every
 * role and as nobody. Whatever arrives, the answer is never a 5xx, every
 * error is a problem+json of the contract, and nothing of the stack, the
 * SQL, the database or the libraries leaks.
 */

type SignedInRole = Role;
type Caller = SignedInRole | 'anonymous';
const SIGNED_IN: SignedInRole[] = [...ROLES];
const CALLERS: Caller[] = [...SIGNED_IN, 'anonymous'];

const UNAVAILABLE = 'urn:register:problem:unavailable';

/** Runs per route (each run: one caller, one request); about 60 routes. */
const RUNS_PER_ROUTE = Number(process.env.ATTACK_RUNS_PER_ROUTE ?? 30);

/** Route groups, one test each; every registered route must fall in one (checked below). */
const GROUPS: [string, RegExp][] = [
  ['identity: auth, users, JWKS', /^(auth|users|\.well-known)(\/|$)/],
  ['audit', /^audit(\/|$)/],
  ['register: persons and their parts, disclosures', /^(persons|disclosures)(\/|$)/],
  ['compliance, alerts, inbox', /^(compliance|alerts|inbox)(\/|$)/],
  ['reference data and operations', /^(reference|health|metrics)(\/|$)/],
  ['employer vetting', /^vetting(-requests)?(\/|$)/],
  ['statistics', /^statistics(\/|$)/],
];

// ---------------------------------------------------------------- generators

const chars = (min: number, max: number, skip: number[] = []) =>
  fc
    .integer({ min, max })
    .filter((c) => !skip.includes(c))
    .map((c) => String.fromCharCode(c));
/** Visible ASCII and space: what any header may carry. */
const printable = (maxLength: number) => fc.string({ unit: chars(0x20, 0x7e), maxLength }).filter(isEchoSafe);
/** Latin-1 too (Node sends header bytes 0x80-0xff as they are). */
const latin1 = (maxLength: number) => fc.string({ unit: chars(0x20, 0xff, [0x7f]), maxLength }).filter(isEchoSafe);
/** Any text: ASCII, whole graphemes of any script, and raw code points (lone surrogates too). */
const anyText = (maxLength: number) =>
  fc
    .oneof(
      fc.string({ maxLength }),
      fc.string({ unit: 'grapheme', maxLength }),
      fc.string({ unit: 'binary', maxLength }),
    )
    .filter(isEchoSafe);

/** Percent-encodes every byte of the UTF-8 form except unreserved characters (lone surrogates become U+FFFD). */
const pct = (s: string): string =>
  [...Buffer.from(s, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase()}`,
    )
    .join('');

/** Path segments as they go on the wire (already encoded where they are meant to be). */
const ATTACK_SEGMENTS = [
  '..',
  '.',
  '../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '..%2f..%2f..%2fetc%2fpasswd',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '%252e%252e%252fetc%252fpasswd',
  '..%5C..%5Cwindows%5Cwin.ini',
  '%C0%AE%C0%AE%C0%AF',
  '....%2F%2F....%2F%2Fetc%2Fpasswd',
  '%00',
  'abc%00def',
  '%00..%2F',
  '%',
  '%ZZ',
  '%E0%A4%A',
  '%FF%FE',
  '%20',
  '%09',
  '%0D%0ASet-Cookie:%20x=1',
  '%27%20OR%20%271%27%3D%271',
  '1%3BDROP%20TABLE%20persons',
  '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  '%24%7B7*7%7D',
  '%7B%7B7*7%7D%7D',
  'null',
  'undefined',
  'NaN',
  '-1',
  '0',
  '1e309',
  '9'.repeat(40),
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '00000000-0000-0000-0000-00000000000g',
  '__proto__',
  'constructor',
  'x'.repeat(10_000),
  'a'.repeat(300),
  '%C4%8D%C4%87%C5%A1%C5%BE%C4%91',
  '%D0%9F%D0%B5%D1%82%D1%80%D0%BE%D0%B2%D0%B8%D1%9B',
  '%F0%9F%92%A9',
];

const QUERY_KEYS = [
  'q',
  'jmbg',
  'region',
  'status',
  'limit',
  'cursor',
  'from',
  'to',
  'kind',
  'unread',
  'role',
  'active',
  'actorId',
  'actorUsername',
  'subjectId',
  'subjectJmbg',
  'action',
  'outcome',
  'flagged',
  'reviewed',
];
const WEIRD_QUERY_KEYS = [
  '__proto__',
  '__proto__%5BisAdmin%5D',
  'constructor',
  'constructor%5Bprototype%5D%5BisAdmin%5D',
  'prototype',
  'toString',
  'hasOwnProperty',
  'a%5Bb%5D%5Bc%5D',
  'limit%5B%5D',
  'limit[0]',
  'limit.x',
  '',
  '%00',
  '%',
  '%ZZ',
  'x'.repeat(300),
];
const QUERY_VALUES = [
  '',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '101',
  '1.5',
  '1e309',
  '9'.repeat(400),
  '-' + '9'.repeat(40),
  'true',
  'false',
  'null',
  'undefined',
  '%5B%5D',
  '%7B%7D',
  '%00',
  'abc%00',
  '%',
  '%E0%A4%A',
  '%C4%8',
  '%FF%FE%FD',
  '2026-02-30',
  '2026-13-01',
  '0000-00-00',
  '99999-01-01',
  '2026-11-28T25%3A61%3A00Z',
  'open',
  'PU-NIS',
  'PU-NIS%00',
  'registry_clerk',
  '%27%20OR%201%3D1--',
  'x'.repeat(3000),
  'AAAA',
  'eyJpZCI6MX0',
  'eyJrIjpbMSwyXSwiYSI6IjIwMjYifQ',
  '0101990710008',
  '01019907100081',
  '%D0%9F%D0%B5%D1%82%D1%80%D0%BE%D0%B2%D0%B8%D1%9B',
];

const queryString = (): fc.Arbitrary<string> => {
  const key = fc.oneof(
    { arbitrary: fc.constantFrom(...QUERY_KEYS), weight: 4 },
    { arbitrary: fc.constantFrom(...WEIRD_QUERY_KEYS), weight: 2 },
    { arbitrary: anyText(20).map(pct), weight: 1 },
  );
  const value = fc.oneof(
    { arbitrary: fc.constantFrom(...QUERY_VALUES), weight: 4 },
    { arbitrary: anyText(60).map(pct), weight: 2 },
    { arbitrary: fc.integer().map(String), weight: 1 },
    { arbitrary: fc.double().map((n) => pct(String(n))), weight: 1 },
    { arbitrary: fc.bigInt().map(String), weight: 1 },
    { arbitrary: fc.uuid().map(String), weight: 1 },
  );
  const pairs = fc
    .array(fc.tuple(key, value, fc.boolean()), { minLength: 1, maxLength: 4 })
    .map((list) => `?${list.map(([k, v, bare]) => (bare && v === '' ? k : `${k}=${v}`)).join('&')}`);
  return fc.oneof(
    { arbitrary: fc.constant(''), weight: 4 },
    { arbitrary: pairs, weight: 5 },
    {
      arbitrary: fc.constantFrom('?', '?&&', '?=', '?==', '?a==b&&c', '?%', '?&limit', '?;', '?limit=1;q=2'),
      weight: 1,
    },
  );
};

/** Field names of the contract's bodies, so that generated values reach the validators of real fields. */
const BODY_KEYS = [
  'surname',
  'givenNames',
  'parentNames',
  'jmbg',
  'identityDocument',
  'dateOfBirth',
  'placeOfBirth',
  'sex',
  'citizenship',
  'aliases',
  'managingOfficerId',
  'kind',
  'street',
  'city',
  'postalCode',
  'policeAdministration',
  'validFrom',
  'employer',
  'address',
  'involvesMinors',
  'heightCm',
  'weightKg',
  'eyeColour',
  'hairColour',
  'build',
  'distinguishingMarks',
  'laboratory',
  'sampleId',
  'profileReference',
  'collectedOn',
  'court',
  'caseNumber',
  'judgmentDate',
  'finalityDate',
  'offences',
  'victimAge',
  'sentence',
  'releaseDate',
  'type',
  'startsOn',
  'endsOn',
  'reportTo',
  'everyDays',
  'action',
  'effectiveOn',
  'measureId',
  'occurredAt',
  'place',
  'method',
  'notifiedAt',
  'details',
  'description',
  'attendedOn',
  'institution',
  'resolution',
  'note',
  'checkpoint',
  'username',
  'password',
  'otp',
  'refreshToken',
  'currentPassword',
  'newPassword',
  'displayName',
  'role',
  'organisation',
  'region',
  'email',
  'active',
  'version',
  'id',
];
const WEIRD_BODY_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  '__defineGetter__',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '',
  ' ',
  'a.b',
  '$where',
  '$gt',
  'surname\u0000',
  'x'.repeat(1000),
];
/** Values as JSON text, some of which JSON.stringify cannot write. */
const RAW_JSON_VALUES = [
  '1e400',
  '-1e400',
  '123456789012345678901234567890',
  '-0',
  '0.00000000000000000000000000000001',
  '1E+2',
  '9007199254740993',
  '"\\u0000"',
  '"\\ud800"',
  '"\\u202e"',
  '"NaN"',
  '"Infinity"',
  '"-0"',
  '"0x10"',
  '"1e3"',
  '"2026-02-30"',
  '"2026-13-45"',
  '"9999-12-31"',
  '"0001-01-01"',
  '"2026-11-28T10:00:00+99:00"',
  '"2999-01-01T00:00:00Z"',
  '"PU-NIS"',
  '"periodic_reporting"',
  '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"isAdmin":true}}}',
  '{"$gt":""}',
  '[[[[[]]]]]',
  '[]',
  '{}',
  'null',
  'true',
  `"${'x'.repeat(10_000)}"`,
  `[${Array.from({ length: 2000 }, () => '{"article":"185a"}').join(',')}]`,
];
const jsonValue = (): fc.Arbitrary<string> =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...RAW_JSON_VALUES), weight: 3 },
    { arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)), weight: 2 },
    { arbitrary: anyText(40).map((s) => JSON.stringify(s)), weight: 2 },
    { arbitrary: fc.uuid().map((s) => JSON.stringify(s)), weight: 1 },
  );
/** `{ key: value, ... }` written by hand, so that `__proto__` and duplicate keys reach the server as written. */
const weirdObject = (): fc.Arbitrary<string> =>
  fc
    .array(
      fc.tuple(
        fc.oneof(
          { arbitrary: fc.constantFrom(...BODY_KEYS), weight: 4 },
          { arbitrary: fc.constantFrom(...WEIRD_BODY_KEYS), weight: 2 },
          { arbitrary: anyText(20), weight: 1 },
        ),
        jsonValue(),
      ),
      { maxLength: 6 },
    )
    .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`);
const deepNesting = (): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom(64, 500, 5_000, 50_000), fc.constantFrom('object', 'array'), fc.constantFrom(...BODY_KEYS))
    .map(([depth, shape, key]) => {
      const deep =
        shape === 'object'
          ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
          : `${'['.repeat(depth)}${']'.repeat(depth)}`;
      return `{${JSON.stringify(key)}:${deep}}`;
    });
const jsonBody = (): fc.Arbitrary<string> =>
  fc
    .oneof(
      { arbitrary: weirdObject(), weight: 5 },
      { arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)), weight: 2 },
      {
        arbitrary: fc
          .anything({ maxDepth: 3, withNullPrototype: true, withObjectString: true })
          .map((v) => JSON.stringify(v) ?? 'null'),
        weight: 2,
      },
      { arbitrary: deepNesting(), weight: 1 },
      { arbitrary: fc.constantFrom(...RAW_JSON_VALUES), weight: 1 },
    )
    .filter(isEchoSafe);

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=UTF-8',
  'application/json;charset=latin1',
  'application/json; charset=utf-16le',
  'APPLICATION/JSON',
  'application/json, text/plain',
  'application/json; boundary=x',
  'application/problem+json',
  'application/merge-patch+json',
  'application/vnd.api+json',
  'application/jsonx',
  'json',
  'application/x-www-form-urlencoded',
  'text/plain',
  'text/html',
  'application/xml',
  'text/xml',
  'multipart/form-data',
  'multipart/form-data; boundary=----x',
  'multipart/mixed; boundary=----x',
  'application/octet-stream',
  'image/png',
  '*/*',
  '',
  ';',
  'garbage',
];
const multipart = (filename: string, content: Buffer | string, field = 'file'): Buffer =>
  Buffer.concat([
    Buffer.from(
      `------x\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\n` +
        'Content-Type: image/png\r\n\r\n',
    ),
    Buffer.from(content),
    Buffer.from('\r\n------x--\r\n'),
  ]);
const RAW_BODIES: (string | Buffer)[] = [
  '',
  '{',
  '{"a":',
  '{"a":1}}',
  'null',
  '[]',
  '"x"',
  '1',
  'true',
  'a=1&b=2',
  '__proto__[isAdmin]=true',
  '<x/>',
  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
  Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]),
  Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]),
  Buffer.from([0xc3, 0x28, 0xa0, 0xa1]),
  multipart('../../etc/passwd', PNG_BYTES),
  multipart('..%2F..%2Fetc%2Fpasswd', 'not an image'),
  multipart('x.png', PNG_BYTES, 'other'),
  multipart('x'.repeat(5000), PNG_BYTES),
  '------x\r\nContent-Disposition: form-data; name="file"\r\n\r\n',
];

interface Body {
  contentType?: string;
  text?: string | Buffer;
}
const body = (): fc.Arbitrary<Body> =>
  fc.oneof(
    { arbitrary: fc.constant<Body>({}), weight: 3 },
    { arbitrary: jsonBody().map((text): Body => ({ contentType: 'application/json', text })), weight: 6 },
    {
      arbitrary: fc
        .tuple(fc.constantFrom(...CONTENT_TYPES), fc.oneof(jsonBody(), fc.constantFrom(...RAW_BODIES), latin1(200)))
        .map(([contentType, text]): Body => ({ contentType, text })),
      weight: 3,
    },
    { arbitrary: jsonBody().map((text): Body => ({ text })), weight: 1 },
  );

interface Headers {
  reason?: string;
  ifMatch?: string;
  idempotencyKey?: string;
  requestId?: string;
  /** Only for the anonymous caller: what it sends instead of a token. */
  authorization?: string;
  extra: Record<string, string>;
}
const BAD_REASONS = [
  '%',
  '%E0%A4%A',
  '%C4',
  '%C4%8',
  '%ZZ',
  '%u0107abc',
  'ab',
  '   ab   ',
  'x'.repeat(201),
  'x'.repeat(5000),
  '%00%00%00',
  'abc%00',
  '%0A%0D%0Aabc',
  '%7F%7F%7F',
  '%25%25%25',
  '%E2%80%AEevil',
  '%F0%9F%92%A9%F0%9F%92%A9%F0%9F%92%A9',
  '%ED%A0%80abc',
  '%C0%AFabc',
  'KT-100%2F2026',
  'Predmet%20%C4%8D%C4%87%C5%A1',
];
const headers = (forged: string[]): fc.Arbitrary<Headers> =>
  fc.record({
    reason: fc.oneof(
      { arbitrary: fc.constant(REASON['X-Access-Reason']), weight: 6 },
      { arbitrary: fc.constant(undefined), weight: 1 },
      { arbitrary: fc.constantFrom(...BAD_REASONS), weight: 2 },
      { arbitrary: printable(250), weight: 1 },
      { arbitrary: latin1(40), weight: 1 },
    ),
    ifMatch: fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 3 },
      {
        arbitrary: fc.constantFrom(
          '"1"',
          '1',
          'W/"1"',
          '*',
          '""',
          '"abc"',
          'W/',
          '"-1"',
          '-1',
          '"1", "2"',
          '99999999999999999999',
          '"999999999"',
          '"1e3"',
          '0x1',
          '"1.5"',
          ' ',
          '"\u00ff"',
        ),
        weight: 2,
      },
      { arbitrary: printable(40), weight: 1 },
    ),
    idempotencyKey: fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 3 },
      { arbitrary: printable(80), weight: 1 },
      { arbitrary: latin1(20), weight: 1 },
      { arbitrary: fc.constantFrom('', ' ', 'x'.repeat(64), 'x'.repeat(65), 'same-key', '%00'), weight: 1 },
    ),
    requestId: fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 2 },
      { arbitrary: printable(100), weight: 1 },
      { arbitrary: latin1(30), weight: 1 },
      { arbitrary: fc.constantFrom('x'.repeat(65), 'ok-id', '../../etc', '${jndi:ldap://x/a}'), weight: 1 },
    ),
    authorization: fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 2 },
      {
        arbitrary: fc.constantFrom(
          'Bearer',
          'Bearer ',
          'Bearer x',
          'Bearer null',
          'bearer x.y.z',
          'Basic YWRtaW46YWRtaW4=',
          `Bearer ${'A'.repeat(8000)}`,
          ...forged.map((token) => `Bearer ${token}`),
        ),
        weight: 3,
      },
      { arbitrary: printable(200), weight: 1 },
    ),
    extra: fc.dictionary(
      fc.constantFrom(
        'accept',
        'accept-encoding',
        'accept-language',
        'origin',
        'x-forwarded-for',
        'x-http-method-override',
        'range',
        'cookie',
        'if-none-match',
        'user-agent',
      ),
      fc.oneof(
        fc.constantFrom(
          'application/xml',
          'text/html',
          'image/png',
          '*/*',
          'gzip, br',
          'https://evil.example',
          '10.0.0.1, 127.0.0.1',
          'DELETE',
          'bytes=0-1',
          'session=1',
          '*',
        ),
        printable(100),
      ),
      { maxKeys: 3 },
    ),
  });

/**
 * Tokens a client may forge from a real one: unsigned (`alg: none`), the role changed under the
 * original signature, an HMAC header with a path as `kid`, a damaged signature, no signature part.
 */
function forgedTokens(valid: string): string[] {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const [header, payload, signature] = valid.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  return [
    `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, role: 'admin' })}.`,
    `${header}.${b64({ ...claims, role: 'admin', region: null })}.${signature}`,
    `${b64({ alg: 'HS256', typ: 'JWT', kid: '../../../../dev/null' })}.${payload}.${signature}`,
    `${header}.${payload}.${signature.slice(0, -4)}AAAA`,
    `${header}.${payload}`,
  ];
}

// ---------------------------------------------------------------- the test

describe('attacks: generated input on every route', () => {
  let t: TestApp;
  let client: RawClient;
  let records: Records;
  let targetUserId: string;
  let eventId: string;
  const accounts = new Map<SignedInRole, TestAccount & Tokens>();
  let forged: string[];

  beforeAll(async () => {
    t = await startTestApp({
      RATE_LIMIT_MAX: '1000000',
      VETTING_VERIFY_PER_MINUTE: '1000000',
      LOG_LEVEL: process.env.ATTACK_LOG_LEVEL ?? 'silent',
    });
    client = await RawClient.start(t.server);
    for (const role of SIGNED_IN) {
      const account = await createAccount(t, role, role === 'police_officer' ? 'PU-NIS' : null);
      accounts.set(role, { ...account, ...(await login(t, account)) });
    }
    // The admin routes act on an account of their own, never on a caller's.
    targetUserId = (await createAccount(t, 'auditor')).user.id;
    const clerk = accounts.get('registry_clerk')!;
    records = await insertRecords(t, clerk.user.id, [clerk.user.id, accounts.get('police_officer')!.user.id]);
    [{ id: eventId }] = await t.dataSource.query(`SELECT id FROM audit_events ORDER BY seq DESC LIMIT 1`);
    forged = forgedTokens(clerk.accessToken);
  });

  afterAll(async () => {
    await client?.close();
    await t?.close();
  });

  /** Existing ids a path parameter may name: the right kind first, then ids of other kinds. */
  function existingIds(route: RegisteredRoute, param: string): string[] {
    const byName: Record<string, string | undefined> = {
      addressId: records.addressId,
      convictionId: records.convictionId,
      measureId: records.measureId,
      workplaceId: records.workplaceId,
      photoId: records.photoId,
      checkInId: records.checkInId,
      notificationId: records.notificationId,
      breachId: records.breachId,
      counsellingId: records.counsellingId,
      checkId: records.addressCheckId,
      referralId: records.referralId,
    };
    if (param !== 'id') return byName[param] ? [byName[param]!] : [];
    const first = route.path.split('/')[0];
    const byResource: Record<string, string[]> = {
      users: [targetUserId],
      persons: [records.personId],
      alerts: [records.alertId],
      inbox: records.inboxItemIds,
      audit: [eventId],
      disclosures: [records.disclosureId],
    };
    return byResource[first] ?? [];
  }

  function paramValue(route: RegisteredRoute, param: string): fc.Arbitrary<string> {
    const own = existingIds(route, param);
    const every = [
      records.personId,
      records.addressId,
      records.measureId,
      records.photoId,
      records.alertId,
      targetUserId,
      eventId,
    ];
    const variants = own.flatMap((id) => [
      id.toUpperCase(),
      `%7B${id}%7D`,
      `${id}%00`,
      `${id}%20`,
      `${id}%2F..%2F..`,
      `urn:uuid:${id}`,
      id.replace(/-/g, ''),
      `${id}${'0'.repeat(5000)}`,
    ]);
    return fc.oneof(
      ...(own.length > 0
        ? [
            { arbitrary: fc.constantFrom(...own), weight: 5 },
            { arbitrary: fc.constantFrom(...variants), weight: 1 },
          ]
        : []),
      { arbitrary: fc.uuid(), weight: 2 },
      { arbitrary: fc.constant(randomUUID()), weight: 1 },
      { arbitrary: fc.constantFrom(...every), weight: 1 },
      { arbitrary: fc.constantFrom(...ATTACK_SEGMENTS), weight: 3 },
      { arbitrary: anyText(100).map(pct), weight: 2 },
    );
  }

  function tokenOf(caller: Caller): string | undefined {
    return caller === 'anonymous' ? undefined : accounts.get(caller)!.accessToken;
  }

  /** A caller who signed out signs in again, so that later runs still reach past authentication. */
  async function signInAgainAfterLogout(
    caller: Caller,
    route: RegisteredRoute,
    method: string,
    status: number,
  ): Promise<void> {
    if (caller === 'anonymous' || route.route !== 'POST auth/logout' || method !== 'POST' || status >= 300) return;
    const account = accounts.get(caller)!;
    accounts.set(caller, { ...account, ...(await login(t, account)) });
  }

  async function fuzz(route: RegisteredRoute): Promise<void> {
    const params = fc.record(Object.fromEntries(route.params.map((p) => [p, paramValue(route, p)])));
    const details = await fc.check(
      fc.asyncProperty(
        fc.constantFrom(...CALLERS),
        params,
        queryString(),
        body(),
        headers(forged),
        async (caller, values, query, sentBody, h) => {
          const sent: Record<string, string> = { ...h.extra };
          const token = tokenOf(caller);
          if (token) sent.authorization = `Bearer ${token}`;
          else if (h.authorization !== undefined) sent.authorization = h.authorization;
          if (h.reason !== undefined) sent['x-access-reason'] = h.reason;
          if (h.ifMatch !== undefined) sent['if-match'] = h.ifMatch;
          if (h.idempotencyKey !== undefined) sent['idempotency-key'] = h.idempotencyKey;
          if (h.requestId !== undefined) sent['x-request-id'] = h.requestId;
          if (sentBody.contentType !== undefined) sent['content-type'] = sentBody.contentType;
          const request = {
            method: route.method,
            path: urlOf(route, values) + query,
            headers: sent,
            body: sentBody.text,
          };
          const send = () =>
            client.send(request).catch((error: Error) => {
              throw new Error(`${route.route}: ${error.message}\n  ${describeExchange(request)}`);
            });
          let res = await send();
          // The documented 503 (database or audit log briefly unavailable, e.g. a slow connection on a
          // loaded machine) is transient and "nothing was done": the same request a moment later must not
          // get it again. A 503 that repeats is caused by the input, and is a bug.
          if (res.status === 503 && (res.json as { type?: string } | undefined)?.type === UNAVAILABLE) {
            await new Promise((resolve) => setTimeout(resolve, 500));
            res = await send();
          }
          const wrong = unsafeAnswer(res);
          if (!res.headers['x-request-id']) wrong.push('no X-Request-Id');
          if (wrong.length > 0)
            throw new Error(`${route.route}: ${wrong.join('; ')}\n  ${describeExchange(request, res)}`);
          await signInAgainAfterLogout(caller, route, request.method, res.status);
        },
      ),
      {
        numRuns: RUNS_PER_ROUTE,
        // To replay a failure: ATTACK_SEED and ATTACK_PATH from its report.
        ...(process.env.ATTACK_SEED ? { seed: Number(process.env.ATTACK_SEED), path: process.env.ATTACK_PATH } : {}),
      },
    );
    if (details.failed) {
      // The shrunk request and what came back, with the seed to replay it.
      const error = details.errorInstance as Error | undefined;
      throw new Error(
        `${error?.message ?? String(details.errorInstance)}\n  (seed ${details.seed}, path "${details.counterexamplePath}")`,
      );
    }
  }

  it('knows the routes: every registered route falls in exactly one group', () => {
    const routes = registeredRoutes(t);
    expect(routes.length).toBeGreaterThan(50);
    const misplaced = routes.filter((r) => GROUPS.filter(([, pattern]) => pattern.test(r.path)).length !== 1);
    expect(misplaced.map((r) => r.route)).toEqual([]);
  });

  it.each(GROUPS)(
    'never a 5xx, a stack, SQL or a library name: %s',
    async (_group, pattern) => {
      const routes = registeredRoutes(t).filter((r) => pattern.test(r.path));
      expect(routes.length).toBeGreaterThan(0);
      const failures: string[] = [];
      for (const route of routes) {
        try {
          await fuzz(route);
        } catch (error) {
          failures.push((error as Error).message);
        }
      }
      expect(failures).toEqual([]);
    },
    300_000,
  );

  it('answers any method on any route path, registered or not, the same way', async () => {
    const routes = registeredRoutes(t);
    const property = fc.asyncProperty(
      fc.constantFrom(...routes),
      fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'PROPFIND', 'SEARCH'),
      fc.constantFrom<Caller>('registry_clerk', 'admin', 'anonymous'),
      async (route, method, caller) => {
        const values = Object.fromEntries(
          route.params.map((p) => [p, existingIds(route, p)[0] ?? '00000000-0000-4000-8000-000000000000']),
        );
        const token = tokenOf(caller);
        const request = {
          method,
          path: urlOf(route, values),
          headers: { ...REASON, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        };
        const res = await client.send(request);
        // A HEAD answer has no body to read; its status and type still must be right.
        const wrong =
          method === 'HEAD'
            ? [
                ...(res.status >= 500 ? [`status ${res.status}`] : []),
                ...(res.status >= 400 && !/^application\/problem\+json/.test(res.headers['content-type'] ?? '')
                  ? [`content-type ${res.headers['content-type']}`]
                  : []),
              ]
            : unsafeAnswer(res);
        if (wrong.length > 0) throw new Error(`${wrong.join('; ')}\n  ${describeExchange(request, res)}`);
        await signInAgainAfterLogout(caller, route, method, res.status);
      },
    );
    const details = await fc.check(property, { numRuns: routes.length * 5 });
    if (details.failed) throw new Error(`${(details.errorInstance as Error).message}\n  (seed ${details.seed})`);
  }, 120_000);
});
