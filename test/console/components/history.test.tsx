import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { rememberReason } from '../../../apps/console/src/components/reason';
import { changedFields, historyWords } from '../../../apps/console/src/history';
import { HistoryPage } from '../../../apps/console/src/views/person';
import { json, renderSignedIn } from './fake-api';

describe("a person's history", () => {
  it('names each change in words and lists the fields it changed, old and new', async () => {
    rememberReason('person:p1', 'KT 12/2026');
    renderSignedIn(<HistoryPage id="p1" />, {
      rules: [{ action: 'read', subject: ['Person', 'PersonHistory'] }],
      answer: (call) =>
        call.url.startsWith('/persons/p1/history')
          ? json({
              items: [
                {
                  at: '2026-12-03T09:00:00Z',
                  actor: { username: 'demo.clerk' },
                  reason: 'KT 12/2026',
                  change: 'update',
                  part: 'address',
                  partId: 'a1',
                  before: { city: 'Niš', postalCode: '18000', street: 'Obrenovićeva 20' },
                  after: { city: 'Beograd', postalCode: '11000', street: 'Obrenovićeva 20' },
                },
                {
                  at: '2026-12-01T09:00:00Z',
                  actor: { username: 'demo.clerk' },
                  reason: 'KT 12/2026',
                  change: 'create',
                  part: 'conviction',
                  partId: 'c1',
                  before: null,
                  after: { court: 'Viši sud u Nišu', sentence: { kind: 'imprisonment', months: 60 } },
                },
              ],
              nextCursor: null,
            })
          : undefined,
    });
    const [update, create] = await screen.findAllByTestId('history-entry');
    expect(within(update).getByText('Adresa – izmena')).toBeTruthy();
    expect(update.textContent).toContain('Mesto: Niš → Beograd');
    expect(update.textContent).toContain('Poštanski broj: 18000 → 11000');
    // Unchanged fields are not listed.
    expect(update.textContent).not.toContain('Obrenovićeva');
    expect(within(create).getByText('Presuda – upis')).toBeTruthy();
    expect(create.textContent).toContain('Kazna – Trajanje (meseci): 60');
    expect(create.textContent).not.toContain('→');
  });

  it('finds nested changes by their dotted paths', () => {
    expect(
      changedFields(
        { sentence: { months: 48, kind: 'imprisonment' } },
        { sentence: { months: 60, kind: 'imprisonment' } },
      ),
    ).toEqual([{ field: 'sentence.months', before: 48, after: 60 }]);
    expect(historyWords('something_new', 'update', 'en')).toBe('something_new – corrected');
  });
});
