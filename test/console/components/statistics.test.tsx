import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import StatisticsPage, { FIGURES, type Figures, type Statistics } from '../../../apps/console/src/views/statistics';
import { json, renderSignedIn } from './fake-api';

const RULES = [{ action: 'read', subject: 'Statistics' }];

function figures(base: number): Figures {
  return Object.fromEntries(FIGURES.map((f, i) => [f, base + i])) as Figures;
}

function answerOf(groupBy: Statistics['groupBy'], groups: Statistics['groups'], regions: string[] | null = null) {
  return { asOf: '2026-06-30', from: '2026-01-01', groupBy, regions, groups, total: figures(100) };
}

describe('statistics', () => {
  it('asks for the day, the first day and the grouping, and shows the chosen figure beside the chart and every figure below', async () => {
    const { calls } = renderSignedIn(<StatisticsPage />, {
      rules: RULES,
      answer: (call) =>
        call.url.startsWith('/statistics?')
          ? json(
              answerOf('region', [
                { key: 'PU-BEOGRAD', label: 'PU za grad Beograd', figures: figures(10) },
                { key: 'PU-NIS', label: 'Niš', figures: figures(20) },
              ]),
            )
          : undefined,
    });
    const figure = await screen.findByTestId('statistics-figure');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Belgrade' }).format(new Date());
    expect(calls.map((c) => c.url)).toEqual([
      `/statistics?asOf=${today}&from=${today.slice(0, 4)}-01-01&groupBy=region`,
    ]);
    // withActiveMeasures is the second figure: base + 1.
    expect(
      within(figure)
        .getAllByRole('row')
        .map((row) => row.textContent),
    ).toEqual([
      'Po policijskoj upraviLica sa aktivnim merama',
      'PU za grad Beograd (PU-BEOGRAD)11',
      'Niš (PU-NIS)21',
      'Ukupno101',
    ]);
    const all = screen.getByTestId('statistics-all');
    const header = within(all)
      .getAllByRole('columnheader')
      .map((cell) => cell.textContent);
    expect(header).toHaveLength(17);
    expect(header.slice(0, 3)).toEqual(['Po policijskoj upravi', 'Upisana lica', 'Lica sa aktivnim merama']);
    const total = within(all).getAllByRole('row').at(-1)!;
    expect(
      within(total)
        .getAllByRole('cell')
        .map((cell) => Number(cell.textContent)),
    ).toEqual(FIGURES.map((_, i) => 100 + i));

    fireEvent.change(screen.getByLabelText('Brojka na grafikonu'), { target: { value: 'missedPeriods' } });
    expect(within(screen.getByTestId('statistics-figure')).getAllByRole('row').at(-1)!.textContent).toBe('Ukupno107');
    expect(calls).toHaveLength(1);
  });

  it('names months and measures in words, and reads again when the grouping changes', async () => {
    const { calls } = renderSignedIn(<StatisticsPage />, {
      rules: RULES,
      answer: (call) => {
        const groupBy = new URLSearchParams(call.url.split('?')[1]).get('groupBy');
        if (groupBy === 'month')
          return json(answerOf('month', [{ key: '2026-03', label: '2026-03', figures: figures(1) }]));
        if (groupBy === 'measure')
          return json(
            answerOf('measure', [{ key: 'periodic_reporting', label: 'periodic_reporting', figures: figures(2) }]),
          );
        return json(answerOf('region', []));
      },
    });
    expect(await screen.findByTestId('statistics-figure')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Po'), { target: { value: 'month' } });
    await waitFor(() =>
      expect(within(screen.getByTestId('statistics-figure')).getAllByRole('row')[1].textContent).toBe('mart 2026.2'),
    );
    fireEvent.change(screen.getByLabelText('Po'), { target: { value: 'measure' } });
    await waitFor(() =>
      expect(within(screen.getByTestId('statistics-figure')).getAllByRole('row')[1].textContent).toBe(
        'Periodično javljanje3',
      ),
    );
    expect(calls.map((c) => new URLSearchParams(c.url.split('?')[1]).get('groupBy'))).toEqual([
      'region',
      'month',
      'measure',
    ]);
  });

  it("shows an officer's figures as limited to the officer's administrations", async () => {
    renderSignedIn(<StatisticsPage />, {
      role: 'police_officer',
      rules: RULES,
      answer: (call) =>
        call.url.startsWith('/statistics?')
          ? json(answerOf('region', [{ key: 'PU-BEOGRAD', label: 'Beograd', figures: figures(1) }], ['PU-BEOGRAD']))
          : undefined,
    });
    expect((await screen.findByTestId('statistics-scope')).textContent).toBe('Brojke samo za vaše uprave: PU-BEOGRAD');
  });

  it('shows the problem the api answers, in words', async () => {
    renderSignedIn(<StatisticsPage />, {
      rules: RULES,
      answer: () =>
        json({ type: 'urn:register:problem:forbidden', title: 'Forbidden', status: 403 }, 403, {
          'content-type': 'application/problem+json',
        }),
    });
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Nije dozvoljeno: Vaša uloga nema pravo na ovu radnju.',
    );
    expect(screen.queryByTestId('statistics-figure')).toBeNull();
  });

  it('downloads the yearly report in the chosen format', async () => {
    const createObjectURL = vi.fn(() => 'blob:report');
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    const { calls } = renderSignedIn(<StatisticsPage />, {
      rules: RULES,
      answer: (call) =>
        call.url.startsWith('/statistics/report')
          ? new Response('a,b\r\n', { headers: { 'content-type': 'text/csv; charset=utf-8' } })
          : json(answerOf('region', [])),
    });
    await screen.findByTestId('statistics-figure');
    fireEvent.change(screen.getByLabelText('Godina'), { target: { value: '2025' } });
    fireEvent.change(screen.getByLabelText('Oblik'), { target: { value: 'csv' } });
    fireEvent.click(screen.getByRole('button', { name: 'Preuzmi izveštaj' }));
    await waitFor(() => expect(createObjectURL).toHaveBeenCalledTimes(1));
    expect(calls.at(-1)!.url).toBe('/statistics/report?year=2025&format=csv');
  });
});
