import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { QuickCheckIn } from '../../../apps/console/src/views/check-in';
import { AddressForm } from '../../../apps/console/src/views/part-forms';
import { CLERK_RULES, json, person, renderSignedIn } from './fake-api';

describe('a form submission records once', () => {
  it('a check-in: a double click sends once, a retry after a failure keeps its key, success closes the form and says so', async () => {
    let attempts = 0;
    let done = 0;
    const { calls } = renderSignedIn(
      <QuickCheckIn personId="p1" measureId="m1" place="PU-BEOGRAD" reason="KT 1/2026" onDone={() => (done += 1)} />,
      {
        role: 'police_officer',
        rules: [{ action: 'record', subject: 'CheckIn' }],
        answer: (call) => {
          if (call.method !== 'POST') return undefined;
          attempts += 1;
          return attempts === 1
            ? json({ type: 'urn:register:problem:unavailable', title: 'Unavailable', status: 503 }, 503)
            : json({ id: 'c1' }, 201);
        },
      },
    );
    fireEvent.click(screen.getByRole('button', { name: 'Evidentiraj javljanje' }));
    const confirm = screen.getByRole('button', { name: /Potvrdi/ });
    fireEvent.click(confirm);
    fireEvent.click(confirm);
    await screen.findByText(/Servis trenutno nije dostupan/);
    fireEvent.click(screen.getByRole('button', { name: /Potvrdi/ }));
    await waitFor(() => expect(done).toBe(1));
    const posts = calls.filter((c) => c.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(posts[0].headers['idempotency-key']).toMatch(/^[0-9a-f]{32}$/);
    expect(posts[1].headers['idempotency-key']).toBe(posts[0].headers['idempotency-key']);
    // Closed, with a message; a new check-in is a new click.
    expect(screen.queryByRole('button', { name: /Potvrdi/ })).toBeNull();
    expect(screen.getByRole('status').textContent).toBe('Javljanje je evidentirano.');
  });

  it('a new address: saved, the form empties, and the next one has a new key', async () => {
    const { calls } = renderSignedIn(<AddressForm person={person()} reason="KT 1/2026" onSaved={() => undefined} />, {
      rules: CLERK_RULES,
      answer: (call) => {
        if (call.url === '/reference/police-administrations') {
          return json({ items: [{ code: 'PU-BEOGRAD', name: 'PU za grad Beograd' }] });
        }
        return call.method === 'POST' ? json({ id: 'a1' }, 201) : undefined;
      },
    });
    await screen.findByText('PU za grad Beograd (PU-BEOGRAD)');
    const street = screen.getByLabelText('Ulica i broj') as HTMLInputElement;
    const fill = () => {
      fireEvent.change(street, { target: { value: 'Knez Mihailova 1' } });
      fireEvent.change(screen.getByLabelText('Mesto'), { target: { value: 'Beograd' } });
      fireEvent.change(screen.getByLabelText('Poštanski broj'), { target: { value: '11000' } });
    };
    fill();
    fireEvent.submit(street.closest('form')!);
    await screen.findByText('Sačuvano.');
    expect(street.value).toBe('');
    fill();
    fireEvent.submit(street.closest('form')!);
    await waitFor(() => expect(calls.filter((c) => c.method === 'POST')).toHaveLength(2));
    const [first, second] = calls.filter((c) => c.method === 'POST');
    expect(first.body).toMatchObject({ street: 'Knez Mihailova 1', policeAdministration: 'PU-BEOGRAD' });
    expect(second.headers['idempotency-key']).not.toBe(first.headers['idempotency-key']);
  });
});
