import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { rememberReason } from '../../../apps/console/src/components/reason';
import { I18nProvider } from '../../../apps/console/src/i18n';
import { PersonPage } from '../../../apps/console/src/views/person';
import { Referrals } from '../../../apps/console/src/views/referrals';
import { json, onTab, page, person, renderSignedIn } from './fake-api';

const OFFICER_RULES = [
  { action: ['read', 'record'], subject: 'Referral' },
  { action: ['read', 'work'], subject: 'Alert' },
  { action: ['read', 'record'], subject: 'Breach' },
];

const referral = {
  id: 'r1',
  alertIds: ['al1'],
  breachIds: [],
  prosecutorOffice: 'OJT u Nišu',
  referredOn: '2026-11-30',
  outcome: null,
  outcomeOn: null,
  caseNumber: null,
  voidedAt: null,
  version: 1,
};

describe('referrals to the prosecutor', () => {
  it('refers the ticked open alerts and breaches, with the office and the day; a retry keeps its key', async () => {
    let posts = 0;
    const { calls } = renderSignedIn(<Referrals personId="p1" reason="KT 1/26" onChange={() => undefined} />, {
      role: 'police_officer',
      rules: OFFICER_RULES,
      answer: (call) => {
        if (call.method === 'GET' && call.url.startsWith('/persons/p1/referrals')) return page([]);
        if (call.method === 'GET' && call.url.startsWith('/alerts'))
          return page([
            { id: 'al1', kind: 'missed_check_in', status: 'open', dueDate: '2026-11-01', personId: 'p1' },
            { id: 'al2', kind: 'breach', status: 'resolved', dueDate: '2026-10-01', personId: 'p1' },
          ]);
        if (call.method === 'GET' && call.url.startsWith('/persons/p1/breaches'))
          return page([{ id: 'b1', occurredAt: '2026-11-20T10:00:00Z', description: 'Boravak kod škole' }]);
        if (call.method === 'POST' && call.url === '/persons/p1/referrals') {
          posts += 1;
          return posts === 1
            ? json({ type: 'urn:register:problem:unavailable', title: 'Unavailable', status: 503 }, 503)
            : json({ ...referral, id: 'r2' }, 201);
        }
        return undefined;
      },
    });
    // The resolved alert is not offered.
    const alerts = await screen.findByRole('group', { name: 'Nerešena upozorenja' });
    await waitFor(() => expect(within(alerts).getAllByRole('checkbox')).toHaveLength(1));
    expect(alerts.textContent).toContain('Propušteno javljanje');
    const alertQuery = calls.find((c) => c.url.startsWith('/alerts'))!;
    expect(Object.fromEntries(new URLSearchParams(alertQuery.url.split('?')[1]))).toEqual({
      personId: 'p1',
      limit: '100',
    });
    const submit = screen.getByRole('button', { name: 'Prijava tužilaštvu' });
    expect((submit as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(within(alerts).getByRole('checkbox'));
    const breaches = screen.getByRole('group', { name: 'Kršenja mera' });
    await waitFor(() => expect(within(breaches).getAllByRole('checkbox')).toHaveLength(1));
    fireEvent.click(within(breaches).getByRole('checkbox'));
    fireEvent.change(screen.getByLabelText('Javno tužilaštvo'), { target: { value: 'OJT u Nišu' } });
    fireEvent.change(screen.getByLabelText('Datum prijave'), { target: { value: '2026-11-30' } });
    fireEvent.click(submit);
    await screen.findByText(/Servis trenutno nije dostupan/);
    fireEvent.click(submit);
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Prijava tužilaštvu je zabeležena.'));
    const [post, retry] = calls.filter((c) => c.method === 'POST');
    expect(retry.headers['idempotency-key']).toBe(post.headers['idempotency-key']);
    expect(post.body).toEqual({
      alertIds: ['al1'],
      breachIds: ['b1'],
      prosecutorOffice: 'OJT u Nišu',
      referredOn: '2026-11-30',
    });
    expect(post.headers['x-access-reason']).toBe(encodeURIComponent('KT 1/26'));
    expect(post.headers['idempotency-key']).toMatch(/^[0-9a-f]{32}$/);
  });

  it('lists referrals and records an outcome with If-Match; no form without the rule to refer', async () => {
    const { calls } = renderSignedIn(<Referrals personId="p1" reason="KT 1/26" onChange={() => undefined} />, {
      role: 'registry_clerk',
      rules: [{ action: 'read', subject: 'Referral' }],
      answer: (call) => {
        if (call.method === 'GET' && call.url.startsWith('/persons/p1/referrals'))
          return page([
            referral,
            {
              ...referral,
              id: 'r0',
              referredOn: '2026-01-10',
              outcome: 'convicted',
              outcomeOn: '2026-06-01',
              caseNumber: 'K 3/26',
            },
          ]);
        if (call.method === 'PATCH') return json({ ...referral, outcome: 'charged', version: 2 });
        return undefined;
      },
    });
    const rows = await screen.findAllByTestId('referral');
    expect(rows[0].textContent).toContain('čeka ishod');
    expect(rows[1].textContent).toContain('osuđen 1.\u00a06.\u00a02026. (K 3/26)');
    expect(screen.queryByRole('button', { name: 'Prijava tužilaštvu' })).toBeNull();
    fireEvent.change(within(rows[0]).getByLabelText('Broj predmeta'), { target: { value: 'KT 12/26' } });
    fireEvent.change(within(rows[0]).getByLabelText('Datum ishoda'), { target: { value: '2026-12-01' } });
    fireEvent.click(within(rows[0]).getByRole('button', { name: 'Zabeleži ishod' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true));
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect([patch.url, patch.headers['if-match'], patch.body]).toEqual([
      '/persons/p1/referrals/r1',
      '"1"',
      { outcome: 'charged', outcomeOn: '2026-12-01', caseNumber: 'KT 12/26' },
    ]);
  });
});

describe('the status non_compliant on the person page', () => {
  const nonCompliant = () =>
    person({ compliance: { status: 'non_compliant', nextDueAt: null, lastCheckInAt: null, openReferralIds: ['r1'] } });

  it.each([
    ['sr', 'ne izvršava mere', 'Prijave tužilaštvu'],
    ['en', 'non-compliant', 'Referrals to the prosecutor'],
  ])('says it in %s, with the referrals beside it', async (language, word, heading) => {
    localStorage.setItem('register.language', language);
    rememberReason('person:p1', 'KT 1/2026');
    onTab('acts');
    renderSignedIn(
      <I18nProvider>
        <PersonPage id="p1" />
      </I18nProvider>,
      {
        role: 'police_officer',
        rules: [{ action: 'read', subject: ['Person', 'Compliance', 'Referral'] }],
        answer: (call) => {
          if (call.method === 'GET' && call.url === '/persons/p1') return json(nonCompliant(), 200, { etag: '"1"' });
          if (call.url.startsWith('/persons/p1/referrals')) return page([referral]);
          return undefined;
        },
      },
    );
    const status = await screen.findByTestId('compliance-status');
    expect(status.textContent).toBe(word);
    expect(status.querySelector('.status.non_compliant')).not.toBeNull();
    expect(await screen.findByRole('heading', { name: heading })).toBeTruthy();
    localStorage.removeItem('register.language');
  });
});
