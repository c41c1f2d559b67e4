import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AddressCheckForm, DueAddressChecks } from '../../../apps/console/src/views/address-checks';
import { json, page, person, renderSignedIn } from './fake-api';

const OFFICER_RULES = [
  { action: 'read', subject: 'AddressCheck' },
  { action: 'record', subject: 'AddressCheck' },
];

const address = {
  id: 'a1',
  kind: 'permanent' as const,
  street: 'Obrenovićeva 1',
  city: 'Niš',
  postalCode: '18000',
  policeAdministration: 'PU-NIS',
  validFrom: '2025-01-01',
  validTo: null,
  version: 1,
};

describe('address checks', () => {
  it('lists the addresses due for a check, with the last check or none', async () => {
    const { calls } = renderSignedIn(<DueAddressChecks reason="Obilazak adresa" />, {
      role: 'police_officer',
      rules: OFFICER_RULES,
      answer: (call) =>
        call.url.startsWith('/compliance/address-checks/due')
          ? page([
              {
                personId: 'p1',
                surname: 'Jovanović',
                givenNames: 'Petar',
                address,
                confirmedSince: '2025-01-01',
                daysSinceConfirmed: 500,
                lastCheck: { id: 'k1', checkedAt: '2026-11-13T19:00:00Z', outcome: 'absent' },
              },
              {
                personId: 'p2',
                surname: 'Nikolić',
                givenNames: 'Ana',
                address: { ...address, id: 'a2' },
                confirmedSince: '2026-08-25',
                daysSinceConfirmed: 100,
                lastCheck: null,
              },
            ])
          : undefined,
    });
    const rows = await screen.findAllByTestId('address-check-due-row');
    expect(Object.fromEntries(new URLSearchParams(calls[0].url.split('?')[1]))).toEqual({
      olderThanDays: '90',
      limit: '100',
    });
    expect(within(rows[0]).getByRole('link', { name: 'Jovanović, Petar' }).getAttribute('href')).toBe(
      '/console/persons/p1',
    );
    expect(rows[0].textContent).toContain('Obrenovićeva 1, 18000 Niš (PU-NIS)');
    expect(rows[0].textContent).toContain('500');
    expect(rows[0].textContent).toContain('nije zatečen');
    expect(rows[1].textContent).toContain('nikad provereno');
  });

  it('records a check of a current address and says when it raised an alert', async () => {
    const { calls } = renderSignedIn(
      <AddressCheckForm
        person={person({ currentAddresses: { permanent: address, temporary: null } })}
        reason="Obilazak adresa"
        onDone={() => undefined}
      />,
      {
        role: 'police_officer',
        rules: OFFICER_RULES,
        answer: (call) =>
          call.method === 'POST' && call.url === '/persons/p1/address-checks'
            ? json({ id: 'k2', whereaboutsUnknown: 'moved_without_notice', alertId: 'al1' }, 201)
            : undefined,
      },
    );
    fireEvent.change(screen.getByLabelText('Ishod provere'), { target: { value: 'moved' } });
    fireEvent.change(screen.getByLabelText('Napomena'), { target: { value: 'Komšija kaže da se odselio' } });
    fireEvent.click(screen.getByRole('button', { name: 'Zabeleži proveru adrese' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('nepoznato boravište'));
    expect(calls[0].body).toEqual({
      addressId: 'a1',
      outcome: 'moved',
      checkedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z$/),
      note: 'Komšija kaže da se odselio',
    });
    expect(calls[0].headers['x-access-reason']).toBe(encodeURIComponent('Obilazak adresa'));
  });
});
