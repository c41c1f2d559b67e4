import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { rememberReason } from '../../../apps/console/src/components/reason';
import { InboxPage } from '../../../apps/console/src/views/alerts';
import { MorningView } from '../../../apps/console/src/views/morning';
import { type Call, json, renderSignedIn } from './fake-api';

const OFFICER = [
  { action: 'read', subject: ['Alert', 'Compliance', 'Person'] },
  { action: 'work', subject: 'Alert' },
];

const alert = (id: string, status: string, surname: string) => ({
  id,
  kind: 'missed_check_in',
  personId: `p-${surname}`,
  person: { surname, givenNames: 'Petar' },
  measureId: 'm1',
  dueDate: '2026-11-30',
  policeAdministration: 'PU-BEOGRAD',
  status,
  raisedAt: '2026-12-01T06:00:00Z',
  resolution: null,
  version: 1,
});

describe("the officer's morning", () => {
  it('lists open and acknowledged alerts by name, checks-ins due soon, and pages past the first page', async () => {
    rememberReason('morning', 'Jutarnji pregled');
    const { calls } = renderSignedIn(<MorningView />, {
      role: 'police_officer',
      rules: OFFICER,
      answer: (call: Call) => {
        const [path, search] = call.url.split('?');
        const query = new URLSearchParams(search);
        if (path === '/compliance/overdue') return json({ items: [], nextCursor: null });
        if (path === '/compliance/due') {
          return json({
            items: [
              {
                personId: 'p-Ilić',
                surname: 'Ilić',
                givenNames: 'Zoran',
                measureId: 'm2',
                authority: 'police',
                office: null,
                dueDate: '2026-12-05',
                policeAdministration: 'PU-BEOGRAD',
                checkedIn: false,
              },
              {
                personId: 'p-Lukić',
                surname: 'Lukić',
                givenNames: 'Ana',
                measureId: 'm3',
                authority: 'police',
                office: null,
                dueDate: '2026-12-06',
                policeAdministration: 'PU-BEOGRAD',
                checkedIn: true,
              },
            ],
            nextCursor: null,
          });
        }
        if (path === '/alerts' && query.get('status') === 'open') {
          return query.get('cursor') === 'c2'
            ? json({ items: [alert('a2', 'open', 'Jovanović')], nextCursor: null })
            : json({ items: [alert('a1', 'open', 'Marković')], nextCursor: 'c2' });
        }
        if (path === '/alerts' && query.get('status') === 'acknowledged') {
          return json({ items: [alert('a3', 'acknowledged', 'Petrović')], nextCursor: null });
        }
        return undefined;
      },
    });
    const [first] = await screen.findAllByTestId('alert-row');
    expect(within(first).getByRole('link', { name: 'Marković, Petar' })).toBeTruthy();
    const acknowledged = await screen.findByTestId('acknowledged-row');
    expect(within(acknowledged).getByRole('link', { name: 'Petrović, Petar' })).toBeTruthy();
    // Due soon: only who has not checked in yet.
    const due = await screen.findAllByTestId('due-row');
    expect(due.map((row) => row.textContent)).toEqual([expect.stringContaining('Ilić, Zoran')]);

    const openList = screen.getByRole('heading', { name: 'Otvorena upozorenja' }).parentElement!;
    fireEvent.click(within(openList).getByRole('button', { name: 'Još' }));
    await within(openList).findByRole('link', { name: 'Jovanović, Petar' });
    expect(within(openList).getAllByTestId('alert-row')).toHaveLength(2);
    expect(within(openList).queryByRole('button', { name: 'Još' })).toBeNull();
    const next = calls.find((c) => c.url.includes('cursor=c2'))!;
    expect(next.headers['x-access-reason']).toBe(encodeURIComponent('Jutarnji pregled'));
  });

  it('groups the inbox by person and kind, and marks a group read', async () => {
    rememberReason('inbox', 'Jutarnji pregled');
    const item = (id: string, surname: string, kind: string, readAt: string | null) => ({
      id,
      alertId: `alert-${id}`,
      kind,
      personId: `p-${surname}`,
      person: { surname, givenNames: 'Petar' },
      dueDate: '2026-11-30',
      createdAt: '2026-12-01T06:00:00Z',
      readAt,
    });
    const { calls } = renderSignedIn(<InboxPage />, {
      role: 'police_officer',
      rules: OFFICER,
      answer: (call: Call) => {
        if (call.url.startsWith('/inbox?')) {
          return json({
            items: [
              item('i1', 'Marković', 'missed_check_in', null),
              item('i2', 'Marković', 'missed_check_in', null),
              item('i3', 'Marković', 'breach', '2026-12-01T07:00:00Z'),
              item('i4', 'Ilić', 'missed_check_in', null),
            ],
            nextCursor: null,
          });
        }
        if (call.method === 'POST') return new Response(null, { status: 204 });
        return undefined;
      },
    });
    const groups = await screen.findAllByTestId('inbox-group');
    expect(groups).toHaveLength(3);
    expect(groups[0].textContent).toContain('Marković, Petar');
    expect(groups[0].textContent).toContain('Propušteno javljanje (2)');
    expect(within(groups[2]).getByRole('link', { name: 'Ilić, Petar' })).toBeTruthy();
    fireEvent.click(within(groups[0]).getByRole('button', { name: /Označi/ }));
    await screen.findAllByTestId('inbox-group');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.url)).toEqual(['/inbox/i1/read', '/inbox/i2/read']);
  });
});
