import { packRules } from '@casl/ability/extra';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { vi } from 'vitest';
import { ApiClient } from '../../../apps/console/src/api/client';
import { TokenStore } from '../../../apps/console/src/api/tokens';
import { type Me, SessionProvider, sessionOf } from '../../../apps/console/src/auth/session';
import type { Person } from '../../../apps/console/src/types';

export interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/**
 * A signed-in console over a fake api: `answer` maps each request (method and
 * path below /api/v1, with its query) to a response; every call is recorded.
 */
export function renderSignedIn(
  ui: ReactNode,
  {
    role = 'registry_clerk',
    office = null,
    rules,
    answer,
  }: {
    role?: Me['role'];
    office?: string | null;
    rules: { action: string | string[]; subject: string | string[] }[];
    answer: (call: Call) => Response | undefined;
  },
) {
  const tokens = new TokenStore(localStorage, undefined);
  tokens.save({ accessToken: 'a', refreshToken: 'r', tokenType: 'Bearer', expiresIn: 900 }, 'demo.clerk');
  const calls: Call[] = [];
  const fetcher = vi.fn(async (url: string, init: RequestInit = {}) => {
    const call: Call = {
      method: init.method ?? 'GET',
      url: url.replace('/api/v1', ''),
      headers: (init.headers ?? {}) as Record<string, string>,
      body: init.body instanceof FormData ? init.body : init.body ? JSON.parse(String(init.body)) : undefined,
    };
    calls.push(call);
    return answer(call) ?? json({ type: 'urn:register:problem:not_found', title: 'Not Found', status: 404 }, 404);
  });
  const api = new ApiClient(tokens, fetcher as unknown as typeof fetch);
  const me: Me = {
    id: 'u1',
    username: 'demo.clerk',
    displayName: 'Demo',
    role,
    organisation: 'MPravde',
    region: role === 'police_officer' ? 'PU-BEOGRAD' : null,
    office,
    email: null,
    mfaEnrolled: true,
    permissions: packRules(rules as never),
  };
  render(<SessionProvider value={sessionOf(api, me, () => undefined)}>{ui}</SessionProvider>);
  return { calls };
}

/** A clerk's rules for the person page (the shapes of the api's ability factory, without conditions). */
export const CLERK_RULES = [
  { action: ['create', 'read', 'update'], subject: ['Person', 'Conviction', 'Measure'] },
  { action: ['read', 'record', 'void'], subject: ['CheckIn', 'Notification'] },
  { action: ['create', 'read', 'update', 'void'], subject: 'Acknowledgement' },
  { action: 'read', subject: ['Address', 'Compliance', 'PersonHistory'] },
];

export function person(overrides: Partial<Person> = {}): Person {
  return {
    id: 'p1',
    surname: 'Petrović',
    givenNames: 'Petar',
    parentNames: null,
    jmbg: null,
    identityDocument: null,
    dateOfBirth: '1980-01-01',
    placeOfBirth: 'Niš',
    sex: 'M',
    citizenship: 'RS',
    aliases: [],
    currentAddresses: { permanent: null, temporary: null },
    currentWorkplace: null,
    physicalDescription: null,
    photos: [],
    convictions: [
      {
        id: 'c1',
        court: 'Viši sud u Nišu',
        caseNumber: 'K 3/2020',
        judgmentDate: '2020-01-10',
        finalityDate: '2020-03-01',
        offences: [{ article: '180', paragraph: null }],
        victimAge: 'child',
        sentence: { kind: 'imprisonment', months: 72 },
        releaseDate: '2026-12-20',
        custodyFrom: '2020-03-01',
        releasedOn: null,
        releaseFacility: null,
        legalConsequences: [],
        version: 4,
      },
    ],
    measures: [
      {
        id: 'm1',
        type: 'periodic_reporting',
        startsOn: '2026-12-20',
        endsOn: '2031-12-20',
        reportTo: 'PU-NIS',
        everyDays: null,
        schedule: { kind: 'weekdays', everyDays: null, weekdays: [4, 1] },
        uiks: { office: 'UIKS-NIS', schedule: { kind: 'monthly', everyDays: null, weekdays: null } },
        counselling: null,
        compliance: [
          { authority: 'police', office: null, status: 'compliant', nextDueAt: null, lastCheckInAt: null },
          { authority: 'uiks', office: 'UIKS-NIS', status: 'overdue', nextDueAt: null, lastCheckInAt: null },
        ],
        acknowledged: false,
        status: 'active',
        statusChangedOn: null,
        version: 1,
      },
      {
        id: 'm2',
        type: 'ban_places_with_minors',
        startsOn: '2026-12-20',
        endsOn: '2031-12-20',
        reportTo: null,
        everyDays: null,
        schedule: null,
        uiks: null,
        counselling: null,
        compliance: [],
        acknowledged: true,
        status: 'active',
        statusChangedOn: null,
        version: 1,
      },
      {
        id: 'm3',
        type: 'counselling',
        startsOn: '2020-01-01',
        endsOn: '2021-01-01',
        reportTo: null,
        everyDays: null,
        schedule: null,
        uiks: null,
        counselling: null,
        compliance: [],
        acknowledged: false,
        status: 'ended',
        statusChangedOn: '2021-01-01',
        version: 1,
      },
    ],
    compliance: { status: 'compliant', nextDueAt: null, lastCheckInAt: null, openReferralIds: [] },
    managingOfficerId: null,
    version: 7,
    ...overrides,
  };
}

export const page = (items: unknown[], nextCursor: string | null = null) => json({ items, nextCursor });

/** The person's page opens on `tab` (as a link or a reload with `?tab=` would). */
export function onTab(tab: string, personId = 'p1'): void {
  window.history.replaceState(null, '', `/console/persons/${personId}?tab=${tab}`);
}
