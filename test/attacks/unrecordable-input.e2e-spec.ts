import { eventsOf, rid } from '../support/audit';
import {
  type AttackContext,
  attackRoute,
  invalidInputs,
  prepareAttack,
  reasonVariants,
  inputOf,
  valueVariants,
  type Variant,
} from '../support/poisoned-input';
import { registeredRoutes } from '../support/routes';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Hardening #14, item 9: input PostgreSQL cannot take. Text cannot hold
 * U+0000, and a date of year 0, month 13 or hour 24 does not exist; sent
 * through to SQL, each was a 500 (or a 503 that left no event at all, when
 * the value was to be recorded with the event). Every such value, in every
 * query parameter and body string of every route, sent as every role: 400
 * `validation` naming the field, exactly one audit event, nothing written.
 */

const withNul = (value: string): string => `${value.slice(0, 1)}\u0000${value.slice(1)}`;

/** Days that do not exist: year 0 (PostgreSQL has none), month 13, day 45, 30 February, month 0, 31 April. */
const NO_SUCH_DATES = ['0000-01-01', '2026-13-45', '2026-02-30', '2026-00-10', '2026-04-31', '2026-12-00'];
/** Times that do not exist: the same days, hour 24, minute and second 60, offsets beyond ±14:00 or of minute 60. */
const NO_SUCH_TIMES = [
  '0000-01-01T10:00:00Z',
  '2026-13-45T10:00:00Z',
  '2026-02-30T10:00:00+01:00',
  '2026-11-28T24:00:00Z',
  '2026-11-28T23:60:00Z',
  '2026-11-28T23:59:60Z',
  '2026-11-28T10:00:00+24:00',
  '2026-11-28T10:00:00+01:60',
];
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{4}-\d{2}-\d{2}T/;

describe('attacks: input PostgreSQL cannot hold, on every route', () => {
  let t: TestApp;
  let context: AttackContext;
  let rowsBefore: Record<string, number>;

  /** Rows of the tables a poisoned request could have written to. */
  async function rows(): Promise<Record<string, number>> {
    const [counts] = await t.dataSource.query(
      `SELECT (SELECT count(*)::int FROM persons) AS persons, (SELECT count(*)::int FROM addresses) AS addresses,
              (SELECT count(*)::int FROM convictions) AS convictions, (SELECT count(*)::int FROM measures) AS measures,
              (SELECT count(*)::int FROM person_history) AS history, (SELECT count(*)::int FROM users) AS users,
              (SELECT count(*)::int FROM audit_reviews) AS reviews`,
    );
    return counts;
  }

  beforeAll(async () => {
    t = await startTestApp({
      RATE_LIMIT_MAX: '1000000',
      VETTING_VERIFY_PER_MINUTE: '1000000',
      LOG_LEVEL: process.env.ATTACK_LOG_LEVEL ?? 'silent',
    });
    context = await prepareAttack(t);
    rowsBefore = await rows();
  });

  afterAll(async () => {
    await context?.client.close();
    await t?.close();
  });

  it('knows a valid request for every registered route, which the route itself accepts', async () => {
    expect(await invalidInputs(t, context.ids)).toEqual([]);
  });

  /**
   * A NUL in each query value and body string, one at a time; in a body
   * property's name; in an unknown query parameter (every route, those
   * taking no input too); and in the access reason (percent-encoded, the
   * one header that is decoded and recorded).
   */
  function nulVariants(route: string, isPublic: boolean): Variant[] {
    const input = inputOf(route);
    const body = input.body?.(context.ids);
    return [
      ...valueVariants(input, context.ids, (value) => [withNul(value)]),
      ...(body
        ? [
            {
              label: 'body property name with NUL',
              query: input.query ?? {},
              body: { ...body, 'no\u0000te': 'x' },
              headers: input.headers ?? {},
              expect: { type: 'validation' as const, field: 'no\u0000te' },
            },
          ]
        : []),
      {
        label: 'unknown query parameter with NUL',
        query: { ...input.query, x: '\u0000' },
        body,
        headers: input.headers ?? {},
        expect: { type: 'validation', field: 'x' },
      },
      ...(isPublic ? [] : reasonVariants(input, context.ids, ['KT-100%002026', '%00%00%00'])),
    ];
  }

  function dateVariants(route: string): Variant[] {
    return valueVariants(inputOf(route), context.ids, (value) =>
      DATE.test(value) ? NO_SUCH_DATES : TIME.test(value) ? NO_SUCH_TIMES : [],
    );
  }

  it('a NUL anywhere is 400 validation naming the field, with one event, for every caller', async () => {
    const failures: string[] = [];
    let variants = 0;
    for (const route of registeredRoutes(t)) {
      const own = nulVariants(route.route, route.isPublic);
      variants += own.length;
      failures.push(...(await attackRoute(context, route, own)));
    }
    expect(failures).toEqual([]);
    console.log(`${variants} NUL variants, each sent as every caller`);
  }, 300_000);

  it('a date or time that does not exist is 400 validation naming the field, with one event', async () => {
    const failures: string[] = [];
    let variants = 0;
    for (const route of registeredRoutes(t)) {
      const own = dateVariants(route.route);
      variants += own.length;
      if (own.length > 0) failures.push(...(await attackRoute(context, route, own)));
    }
    expect(failures).toEqual([]);
    expect(variants).toBeGreaterThan(100);
    console.log(`${variants} date and time variants, each sent as every caller`);
  }, 300_000);

  it('a NUL in the export recipient: 400 naming recipient, recorded once without it, nothing exported', async () => {
    const auditor = context.accounts.get('auditor')!;
    const id = rid('export-nul');
    const res = await context.client.send({
      method: 'GET',
      path: '/api/v1/audit/export?from=2026-01-01&to=2099-01-01&recipient=Poverenik%00Beograd',
      headers: { authorization: `Bearer ${auditor.accessToken}`, 'x-request-id': id },
    });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({
      type: 'urn:register:problem:validation',
      errors: [{ field: 'recipient', message: expect.stringContaining('U+0000') }],
    });
    expect(await eventsOf(t, id)).toEqual([
      expect.objectContaining({
        action: 'audit.export',
        outcome: 'error',
        http_status: 400,
        actor_user_id: auditor.user.id,
        recipient: null,
        result_count: null,
        query: { from: '2026-01-01', to: '2099-01-01', recipient: 'Poverenik\ufffdBeograd' },
      }),
    ]);
  });

  it('wrote nothing but the events', async () => {
    expect(await rows()).toEqual(rowsBefore);
  });
});
