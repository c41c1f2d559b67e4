import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { rememberReason } from '../../../apps/console/src/components/reason';
import { ProximityPage } from '../../../apps/console/src/views/proximity';
import { page, renderSignedIn } from './fake-api';

const item = (surname: string, distanceMetres: number, kind: 'permanent' | 'workplace', placesWithin = 1) => ({
  personId: `id-${surname}`,
  surname,
  givenNames: 'Petar',
  distanceMetres,
  location: { kind, id: `l-${surname}` },
  place: { id: `p-${surname}`, kind: 'school', name: 'OŠ Njegoš', address: 'Cara Dušana 1, Niš' },
  placesWithin,
});

describe('the proximity list', () => {
  it('asks for a reason, reads 300 m, shows the distance, the location and the nearest place', async () => {
    const { calls } = renderSignedIn(<ProximityPage />, {
      rules: [{ action: 'read', subject: 'Address' }],
      answer: (call) =>
        call.url.startsWith('/compliance/proximity')
          ? page([item('Petrović', 120, 'workplace'), item('Nikolić', 250, 'permanent', 3)])
          : undefined,
    });
    expect(calls).toEqual([]);
    fireEvent.change(screen.getByLabelText('Razlog'), { target: { value: 'Provera zabrane' } });
    fireEvent.click(screen.getByRole('button', { name: 'Nastavi' }));

    const rows = await screen.findAllByTestId('proximity-row');
    expect(Object.fromEntries(new URLSearchParams(calls[0].url.split('?')[1]))).toEqual({
      metres: '300',
      limit: '50',
    });
    expect(within(rows[0]).getByRole('link', { name: 'Petrović, Petar' }).getAttribute('href')).toBe(
      '/console/persons/id-Petrović',
    );
    expect(rows.map((row) => row.textContent)).toEqual([
      'Petrović, Petar120 mRadno mestoŠkola: OŠ Njegoš, Cara Dušana 1, Niš',
      'Nikolić, Petar250 mPrebivališteŠkola: OŠ Njegoš, Cara Dušana 1, Niš (+2)',
    ]);
  });

  it('reads another distance when asked', async () => {
    rememberReason('proximity', 'Provera zabrane');
    const { calls } = renderSignedIn(<ProximityPage />, {
      rules: [{ action: 'read', subject: 'Address' }],
      answer: (call) => (call.url.startsWith('/compliance/proximity') ? page([]) : undefined),
    });
    await screen.findByText('Nema stavki.');
    fireEvent.change(screen.getByLabelText('Udaljenost (m)'), { target: { value: '1000' } });
    fireEvent.click(screen.getByRole('button', { name: 'Prikaži' }));
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1].url).toContain('metres=1000');
  });
});
