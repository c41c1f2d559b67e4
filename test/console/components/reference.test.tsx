import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { rememberReason } from '../../../apps/console/src/components/reason';
import { ReferencePage } from '../../../apps/console/src/views/reference';
import { json, renderSignedIn } from './fake-api';

const office = (version: number, name: string) => ({
  code: 'UIKS-NIS',
  name,
  policeAdministrations: ['PU-NIS', 'PU-PIROT'],
  active: true,
  version,
});

describe('reference data for admins', () => {
  it('edits an office with If-Match; on 412 reads the list again and the next try carries the new version', async () => {
    rememberReason('reference', 'Izmena šifarnika 1/2026');
    let current = office(3, 'Poverenička kancelarija Niš');
    const { calls } = renderSignedIn(<ReferencePage />, {
      role: 'admin',
      rules: [{ action: 'manage', subject: 'Reference' }],
      answer: (call) => {
        if (call.url === '/reference/uiks-offices' && call.method === 'GET') return json({ items: [current] });
        if (call.url === '/reference/offences' && call.method === 'GET') {
          return json({
            items: [{ article: '180', title: 'Obljuba deteta', paragraphs: [1, 2], juvenileOnly: true, version: 1 }],
          });
        }
        if (call.method === 'PATCH') {
          if (call.headers['if-match'] !== `"${current.version}"`) {
            // Someone else changed it meanwhile.
            current = office(4, 'Poverenička kancelarija u Nišu');
            return json({ type: 'urn:register:problem:version_mismatch', title: 'Version mismatch', status: 412 }, 412);
          }
          current = { ...office(current.version + 1, (call.body as { name: string }).name) };
          return json(current);
        }
        return undefined;
      },
    });
    const offices = await screen.findByTestId('reference-uiksOffices');
    await within(offices).findByText('PU-NIS, PU-PIROT');
    expect(within(screen.getByTestId('reference-offences')).getByText('Obljuba deteta')).toBeTruthy();

    // The list is read once, then someone changes the office: the first save is stale.
    current = { ...current, version: 2 };
    fireEvent.click(within(offices).getByRole('button', { name: 'Izmeni' }));
    const row = within(offices).getAllByRole('row')[1];
    fireEvent.change(within(row).getByLabelText('Naziv'), { target: { value: 'UIKS Niš' } });
    fireEvent.submit(within(row).getByLabelText('Naziv').closest('form')!);
    await within(offices).findByText('Zapis je u međuvremenu promenjen');
    await within(offices).findByText('Poverenička kancelarija u Nišu');

    fireEvent.click(within(offices).getByRole('button', { name: 'Izmeni' }));
    const again = within(offices).getAllByRole('row')[1];
    fireEvent.change(within(again).getByLabelText('Naziv'), { target: { value: 'UIKS Niš' } });
    fireEvent.submit(within(again).getByLabelText('Naziv').closest('form')!);
    await within(offices).findByText('UIKS Niš');
    const patches = calls.filter((c) => c.method === 'PATCH');
    expect(patches.map((p) => p.headers['if-match'])).toEqual(['"3"', '"4"']);
    expect(patches[1].url).toBe('/reference/uiks-offices/UIKS-NIS');
    expect(patches[1].body).toEqual({
      name: 'UIKS Niš',
      policeAdministrations: ['PU-NIS', 'PU-PIROT'],
      active: true,
    });
    expect(patches[1].headers['x-access-reason']).toBe(encodeURIComponent('Izmena šifarnika 1/2026'));
  });

  it('adds an offence with its paragraphs and whether it is against minors only', async () => {
    rememberReason('reference', 'Izmena šifarnika 1/2026');
    const { calls } = renderSignedIn(<ReferencePage />, {
      role: 'admin',
      rules: [{ action: 'manage', subject: 'Reference' }],
      answer: (call) =>
        call.method === 'GET' ? json({ items: [] }) : call.method === 'POST' ? json({ version: 1 }, 201) : undefined,
    });
    const offences = await screen.findByTestId('reference-offences');
    fireEvent.change(within(offences).getByLabelText('Krivično delo (član)'), { target: { value: '185b' } });
    fireEvent.change(within(offences).getByLabelText('Naziv dela'), { target: { value: 'Navođenje deteta' } });
    fireEvent.change(within(offences).getByLabelText('Stav'), { target: { value: '1, 2' } });
    fireEvent.change(within(offences).getByLabelText('Samo prema maloletnicima'), { target: { value: 'false' } });
    fireEvent.submit(within(offences).getByLabelText('Naziv dela').closest('form')!);
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.url).toBe('/reference/offences');
    expect(post.body).toEqual({ article: '185b', title: 'Navođenje deteta', paragraphs: [1, 2], juvenileOnly: false });
  });
});
