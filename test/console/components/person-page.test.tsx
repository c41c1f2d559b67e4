import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { rememberReason } from '../../../apps/console/src/components/reason';
import { PersonPage } from '../../../apps/console/src/views/person';
import { type Call, CLERK_RULES, json, onTab, page, person, renderSignedIn } from './fake-api';

const OFFICER_RULES = [
  { action: 'read', subject: ['Person', 'Conviction', 'Measure', 'Compliance', 'Acknowledgement', 'Address'] },
  { action: ['read', 'record'], subject: ['CheckIn', 'Notification', 'Breach', 'Counselling'] },
];

const checkIn = {
  id: 'k1',
  measureId: 'm1',
  authority: 'police',
  office: null,
  occurredAt: '2026-12-01T08:30:00Z',
  place: 'PS Medijana',
  method: 'in_person',
  voidedAt: null,
  version: 1,
};

const notification = {
  id: 'n1',
  kind: 'travel_abroad',
  notifiedAt: '2026-11-20T10:00:00Z',
  effectiveOn: '2026-12-10',
  details: { destinationCountry: 'HU', departOn: '2026-12-10', returnOn: '2026-12-20' },
  deadline: '2026-12-07',
  onTime: true,
  returnedOn: null,
  voidedAt: null,
  voidReason: null,
  version: 1,
};

function onPersonPage(
  {
    rules = CLERK_RULES,
    role = 'registry_clerk',
  }: { rules?: typeof CLERK_RULES; role?: 'registry_clerk' | 'police_officer' | 'judicial_officer' } = {},
  onPost?: (call: Call) => Response | undefined,
) {
  rememberReason('person:p1', 'KT 1/2026');
  /** The void routes that answered OK: their rows are read back voided. */
  const voided = new Set<string>();
  const voidedAt = (path: string) => (voided.has(`${path}/void`) ? '2026-12-03T10:00:00Z' : null);
  return renderSignedIn(<PersonPage id="p1" />, {
    role,
    rules,
    answer: (call) => {
      if (call.method === 'GET' && call.url === '/persons/p1') {
        return json(
          person({
            jmbg: '0101980710006',
            compliance: {
              status: 'due',
              nextDueAt: '2026-12-03T23:00:00Z',
              lastCheckInAt: '2026-12-01T08:30:00Z',
              openReferralIds: [],
            },
            measures: person().measures.map((m) =>
              m.id === 'm1'
                ? {
                    ...m,
                    // Midnight starting 1 December in Belgrade: the last day is 30 November.
                    compliance: [
                      {
                        authority: 'police',
                        office: null,
                        status: 'compliant',
                        nextDueAt: '2026-11-30T23:00:00Z',
                        lastCheckInAt: null,
                      },
                    ],
                  }
                : m,
            ),
          }),
          200,
          { etag: '"7"' },
        );
      }
      if (call.method === 'GET' && call.url.startsWith('/persons/p1/check-ins')) {
        return page([{ ...checkIn, voidedAt: voidedAt('/persons/p1/check-ins/k1') }]);
      }
      if (call.method === 'GET' && call.url.startsWith('/persons/p1/notifications')) return page([notification]);
      if (call.method === 'GET' && call.url.startsWith('/persons/p1/breaches')) {
        return page([
          {
            id: 'b1',
            measureId: 'm2',
            kind: 'other',
            occurredAt: '2026-11-02T16:00:00Z',
            description: 'Viđen kod škole',
            voidedAt: voidedAt('/persons/p1/breaches/b1'),
            version: 1,
          },
        ]);
      }
      if (call.method === 'GET' && call.url.startsWith('/persons/p1/counselling')) {
        return page([
          {
            id: 's1',
            measureId: 'm3',
            attendedOn: '2020-06-01',
            institution: 'DZ Niš',
            voidedAt: voidedAt('/persons/p1/counselling/s1'),
            version: 1,
          },
        ]);
      }
      if (call.method === 'GET') return page([]);
      const answer = onPost?.(call);
      if (answer?.ok && call.url.endsWith('/void')) voided.add(call.url);
      return answer;
    },
  });
}

describe('the person page: who it is, then tabs', () => {
  it('shows name, JMBG, date of birth and status above the tabs, and opens the identity tab first', async () => {
    onPersonPage();
    const header = await screen.findByTestId('person-id');
    expect(within(header).getByTestId('person-jmbg').textContent).toBe('0101980710006');
    expect(within(header).getByTestId('person-dob').textContent).toBe('1.\u00a01.\u00a01980.');
    expect(within(header).getByTestId('compliance-status').textContent).toBe('uskoro rok');
    const tabs = screen.getAllByRole('tab');
    expect(tabs.map((tab) => [tab.textContent, tab.getAttribute('aria-selected'), tab.tabIndex])).toEqual([
      ['Identitet', 'true', 0],
      ['Adrese', 'false', -1],
      ['Mere i poštovanje', 'false', -1],
      ['Presude', 'false', -1],
      ['Radnje', 'false', -1],
      ['Istorija', 'false', -1],
    ]);
    const panel = screen.getByRole('tabpanel');
    expect(panel.getAttribute('aria-labelledby')).toBe(tabs[0].id);
    expect(within(panel).getByRole('heading', { name: 'Lični podaci' })).toBeTruthy();
    expect(screen.getByRole('tablist').getAttribute('aria-label')).toBe('Delovi dosijea');
  });

  it('moves between tabs with the arrow keys, Home and End, and keeps the tab in the address', async () => {
    onTab('identity');
    onPersonPage();
    const first = await screen.findByRole('tab', { name: 'Identitet' });
    first.focus();
    fireEvent.keyDown(first, { key: 'ArrowRight' });
    const addresses = screen.getByRole('tab', { name: 'Adrese' });
    expect(addresses.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(addresses);
    expect(window.location.search).toBe('?tab=addresses');
    expect(window.location.pathname).toBe('/console/persons/p1');
    expect(within(screen.getByRole('tabpanel')).getByRole('heading', { name: 'Adrese', level: 2 })).toBeTruthy();
    fireEvent.keyDown(addresses, { key: 'ArrowLeft' });
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowLeft' });
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Istorija' }));
    expect(window.location.search).toBe('?tab=history');
    fireEvent.keyDown(document.activeElement!, { key: 'Home' });
    expect(window.location.search).toBe('?tab=identity');
    fireEvent.keyDown(document.activeElement!, { key: 'End' });
    expect(window.location.search).toBe('?tab=history');
    // The page is still the person's: the path stays.
    expect(window.location.pathname).toBe('/console/persons/p1');
  });

  it('opens the tab the address names (a reload, going back), and reads nothing of the other tabs', async () => {
    onTab('measures');
    const { calls } = onPersonPage();
    expect((await screen.findByRole('tab', { name: 'Mere i poštovanje' })).getAttribute('aria-selected')).toBe('true');
    await screen.findByTestId('measures');
    // The last day to report, not the midnight that ends the period: the person's and each schedule's.
    expect(screen.getByTestId('next-due').textContent).toBe('3.\u00a012.\u00a02026.');
    expect(screen.getByTestId('measures').textContent).toContain('Policija: uredno (Rok 30.\u00a011.\u00a02026.)');
    expect(calls.some((c) => c.url.startsWith('/persons/p1/check-ins'))).toBe(false);
    window.history.pushState(null, '', '/console/persons/p1?tab=convictions');
    fireEvent.popState(window);
    await screen.findByTestId('conviction');
  });

  it('lists the acts: check-ins, notifications, breaches and counselling, with their dates in one form', async () => {
    onTab('acts');
    onPersonPage({
      rules: [...CLERK_RULES, { action: ['read', 'record', 'update'], subject: ['Breach', 'Counselling'] }],
    });
    const checkIns = await screen.findByTestId('check-ins');
    expect(checkIns.querySelector('.act')?.textContent).toBe(
      '1.\u00a012.\u00a02026.\u00a009:30 · Policija (PU-NIS) · PS Medijana',
    );
    const notifications = await screen.findByTestId('notifications');
    expect(notifications.querySelector('.act')?.textContent).toBe(
      'Putovanje u inostranstvo · 20.\u00a011.\u00a02026.\u00a011:00 · Važi od 10.\u00a012.\u00a02026. · Rok 7.\u00a012.\u00a02026. · Na vreme · HU 10.\u00a012.\u00a02026. – 20.\u00a012.\u00a02026.',
    );
    expect((await screen.findByTestId('breaches')).textContent).toBe(
      '2.\u00a011.\u00a02026.\u00a017:00 · Ostalo · Zabrana posećivanja mesta sa maloletnicima · Viđen kod škole',
    );
    expect((await screen.findByTestId('counselling')).textContent).toBe('1.\u00a06.\u00a02020. · DZ Niš');
    // A role that may not void breaches and counselling gets no void action on them.
    expect(within(screen.getByTestId('breaches')).queryByRole('button')).toBeNull();
    expect(within(screen.getByTestId('counselling')).queryByRole('button')).toBeNull();
  });
});

describe('the tabs a role has', () => {
  it.each([
    ['police_officer', OFFICER_RULES, ['Identitet', 'Adrese', 'Mere i poštovanje', 'Presude', 'Radnje']],
    [
      'judicial_officer',
      [
        { action: 'read', subject: ['Person', 'Conviction', 'Measure', 'Compliance', 'Acknowledgement'] },
        { action: 'export', subject: 'CaseFile' },
      ],
      ['Identitet', 'Adrese', 'Mere i poštovanje', 'Presude', 'Istorija'],
    ],
  ] as const)('a %s sees only the tabs with something for the role', async (role, rules, names) => {
    onTab('history');
    onPersonPage({ rules: rules as unknown as typeof CLERK_RULES, role });
    await screen.findByTestId('person-id');
    expect(screen.getAllByRole('tab').map((tab) => tab.textContent)).toEqual(names);
    // A tab the role does not have, named in the address, opens the first one.
    expect(screen.getByRole('tab', { selected: true }).textContent).toBe(
      role === 'police_officer' ? 'Identitet' : 'Istorija',
    );
  });
});

describe('voiding an act from its list', () => {
  it('asks the reason, sends nothing without a valid one, then voids with it and reads the list again', async () => {
    onTab('acts');
    const { calls } = onPersonPage({}, (call) =>
      call.url === '/persons/p1/check-ins/k1/void' ? json({ ...checkIn, voidedAt: '2026-12-03T10:00:00Z' }) : undefined,
    );
    const list = await screen.findByTestId('check-ins');
    fireEvent.click(within(list).getByRole('button', { name: 'Poništi' }));
    const why = within(list).getByLabelText('Razlog poništenja');
    fireEvent.change(why, { target: { value: 'x' } });
    fireEvent.click(within(list).getByRole('button', { name: 'Potvrdi poništenje' }));
    expect(within(list).getByRole('alert').textContent).toBe('Razlog mora imati od 3 do 200 znakova.');
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);

    // Changed the mind: nothing is sent, the row stands.
    fireEvent.click(within(list).getByRole('button', { name: 'Otkaži' }));
    expect(within(list).queryByLabelText('Razlog poništenja')).toBeNull();

    fireEvent.click(within(list).getByRole('button', { name: 'Poništi' }));
    fireEvent.change(within(list).getByLabelText('Razlog poništenja'), {
      target: { value: 'Uneto greškom, drugo lice' },
    });
    const readsBefore = calls.filter((c) => c.url.startsWith('/persons/p1/check-ins?')).length;
    fireEvent.click(within(list).getByRole('button', { name: 'Potvrdi poništenje' }));
    await waitFor(() => expect(within(screen.getByTestId('check-ins')).getByText('· poništeno')).toBeTruthy());
    const post = calls.find((c) => c.method === 'POST')!;
    expect([post.url, post.headers['x-access-reason'], post.headers['if-match'], post.body]).toEqual([
      '/persons/p1/check-ins/k1/void',
      encodeURIComponent('Uneto greškom, drugo lice'),
      undefined,
      undefined,
    ]);
    expect(calls.filter((c) => c.url.startsWith('/persons/p1/check-ins?')).length).toBe(readsBefore + 1);
    // Voided: no void action on it any more; the person (compliance) is read again.
    expect(within(screen.getByTestId('check-ins')).queryByRole('button', { name: 'Poništi' })).toBeNull();
    expect(calls.filter((c) => c.url === '/persons/p1').length).toBe(2);
  });

  it("shows the api's refusal beside the row and keeps the row", async () => {
    onTab('acts');
    onPersonPage({}, (call) =>
      call.url === '/persons/p1/notifications/n1/void'
        ? json({ type: 'urn:register:problem:conflict', title: 'Conflict', status: 409, detail: 'Already void.' }, 409)
        : undefined,
    );
    const list = await screen.findByTestId('notifications');
    fireEvent.click(within(list).getByRole('button', { name: 'Poništi' }));
    fireEvent.change(within(list).getByLabelText('Razlog poništenja'), { target: { value: 'Dupli unos' } });
    fireEvent.click(within(list).getByRole('button', { name: 'Potvrdi poništenje' }));
    expect((await within(list).findByRole('alert')).textContent).toMatch(/.+/);
    expect(within(list).getByLabelText('Razlog poništenja')).toBeTruthy();
  });

  it('offers no void to a role the api does not let void (an officer records, never voids)', async () => {
    onTab('acts');
    onPersonPage({ rules: OFFICER_RULES, role: 'police_officer' });
    for (const list of ['check-ins', 'notifications', 'breaches', 'counselling']) {
      expect(within(await screen.findByTestId(list)).queryByRole('button', { name: 'Poništi' })).toBeNull();
    }
  });

  const VOIDING_CLERK = [
    ...CLERK_RULES,
    { action: ['read', 'record', 'update', 'void'], subject: ['Breach', 'Counselling'] },
  ];

  it.each([
    ['breaches', '/persons/p1/breaches/b1/void', '· poništeno'],
    ['counselling', '/persons/p1/counselling/s1/void', '· poništeno'],
  ])('voids a row of %s with the reason given, then reads the list and the person again', async (list, url, mark) => {
    onTab('acts');
    const { calls } = onPersonPage({ rules: VOIDING_CLERK }, (call) =>
      call.url === url ? json({ voidedAt: '2026-12-03T10:00:00Z' }) : undefined,
    );
    const rows = await screen.findByTestId(list);
    fireEvent.click(within(rows).getByRole('button', { name: 'Poništi' }));
    fireEvent.change(within(rows).getByLabelText('Razlog poništenja'), { target: { value: 'Upisano greškom' } });
    fireEvent.click(within(rows).getByRole('button', { name: 'Potvrdi poništenje' }));
    await waitFor(() => expect(within(screen.getByTestId(list)).getByText(mark)).toBeTruthy());
    const posts = calls.filter((c) => c.method === 'POST');
    expect(posts.map((c) => [c.url, c.headers['x-access-reason'], c.body])).toEqual([
      [url, encodeURIComponent('Upisano greškom'), undefined],
    ]);
    expect(within(screen.getByTestId(list)).queryByRole('button', { name: 'Poništi' })).toBeNull();
    expect(calls.filter((c) => c.url === '/persons/p1').length).toBe(2);
  });

  it('a voided breach is no longer offered to a referral: the referrals load again after a void', async () => {
    onTab('acts');
    onPersonPage({ rules: [...VOIDING_CLERK, { action: ['read', 'record'], subject: 'Referral' }] }, (call) =>
      call.url === '/persons/p1/breaches/b1/void' ? json({ voidedAt: '2026-12-03T10:00:00Z' }) : undefined,
    );
    const offered = () => screen.queryByRole('checkbox', { name: /Viđen kod škole/ });
    await waitFor(() => expect(offered()).not.toBeNull());
    const rows = await screen.findByTestId('breaches');
    fireEvent.click(within(rows).getByRole('button', { name: 'Poništi' }));
    fireEvent.change(within(rows).getByLabelText('Razlog poništenja'), { target: { value: 'Upisano greškom' } });
    fireEvent.click(within(rows).getByRole('button', { name: 'Potvrdi poništenje' }));
    await waitFor(() => expect(within(screen.getByTestId('breaches')).getByText('· poništeno')).toBeTruthy());
    await waitFor(() => expect(offered()).toBeNull());
  });

  it('a breach a referral names stays: the refusal (void the referral first) is shown beside it', async () => {
    onTab('acts');
    onPersonPage({ rules: VOIDING_CLERK }, (call) =>
      call.url === '/persons/p1/breaches/b1/void'
        ? json(
            {
              type: 'urn:register:problem:conflict',
              title: 'Conflict with the current state',
              status: 409,
              detail: 'The breach is named by referral r1; void the referral first.',
              code: 'breach_referred',
              referralIds: ['r1'],
            },
            409,
          )
        : undefined,
    );
    const rows = await screen.findByTestId('breaches');
    fireEvent.click(within(rows).getByRole('button', { name: 'Poništi' }));
    fireEvent.change(within(rows).getByLabelText('Razlog poništenja'), { target: { value: 'Upisano greškom' } });
    fireEvent.click(within(rows).getByRole('button', { name: 'Potvrdi poništenje' }));
    expect((await within(rows).findByRole('alert')).textContent).toBe(
      'Sukob sa trenutnim stanjem: Povredu navodi prijava tužilaštvu koja nije poništena; prvo poništite prijavu.',
    );
    expect(within(rows).queryByText('· poništeno')).toBeNull();
  });
});
