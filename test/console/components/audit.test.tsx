import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AuditPage } from '../../../apps/console/src/views/audit';
import { json, renderSignedIn } from './fake-api';

const event = (overrides: Record<string, unknown>) => ({
  seq: 7,
  id: 'e7',
  at: '2026-12-03T09:15:00Z',
  actor: { userId: 'u2', username: 'p.petrovic', role: 'police_officer' },
  action: 'person.read',
  subjectPersonIds: ['p1'],
  reason: 'KT 12/2026',
  outcome: 'allowed',
  httpStatus: 200,
  flagged: false,
  reviewed: false,
  ...overrides,
});

describe("the auditor's events", () => {
  it('picks actions by words, shows roles and outcomes in words, and marks a flagged event reviewed', async () => {
    const { calls } = renderSignedIn(<AuditPage />, {
      role: 'auditor',
      rules: [{ action: ['read', 'review'], subject: 'AuditEvent' }],
      answer: (call) => {
        const path = call.url.split('?')[0];
        if (path === '/audit/events') {
          return json({
            items: [
              event({}),
              event({
                seq: 8,
                id: 'e8',
                action: 'audit.export',
                flagged: true,
                actor: { userId: 'u3', username: 'r.revizor', role: 'auditor' },
              }),
            ],
            nextCursor: null,
          });
        }
        if (path === '/audit/events/e8/review' && call.method === 'POST') return json({ id: 'r1', eventId: 'e8' }, 201);
        return undefined;
      },
    });
    fireEvent.change(screen.getByLabelText('Radnja'), { target: { value: 'person.read' } });
    fireEvent.change(screen.getByLabelText('Označeni događaji'), { target: { value: 'true' } });
    fireEvent.change(screen.getByLabelText('Pregled'), { target: { value: 'false' } });
    fireEvent.click(screen.getByRole('button', { name: 'Pretraga' }));
    const rows = await screen.findAllByTestId('audit-event');
    const search = calls.find((c) => c.url.startsWith('/audit/events?'))!;
    const query = new URLSearchParams(search.url.split('?')[1]);
    expect(query.get('action')).toBe('person.read');
    expect(query.get('flagged')).toBe('true');
    expect(query.get('reviewed')).toBe('false');

    expect(within(rows[0]).getByText('Uvid u lice')).toBeTruthy();
    expect(within(rows[0]).getByText(/policijski službenik/)).toBeTruthy();
    expect(within(rows[0]).getByText(/dozvoljeno/)).toBeTruthy();
    expect(screen.getByTestId('flagged-legend').textContent).toContain('Označen događaj');
    // Only the flagged event offers a review.
    expect(within(rows[0]).queryByRole('button', { name: 'Označi kao pregledano' })).toBeNull();
    fireEvent.change(within(rows[1]).getByLabelText('Napomena o pregledu'), {
      target: { value: 'Izvoz po nalogu 4/2026' },
    });
    fireEvent.click(within(rows[1]).getByRole('button', { name: 'Označi kao pregledano' }));
    await within(rows[1]).findByText('pregledano');
    const review = calls.find((c) => c.method === 'POST')!;
    expect(review.url).toBe('/audit/events/e8/review');
    expect(review.body).toEqual({ note: 'Izvoz po nalogu 4/2026' });
  });
});
