import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { rememberReason } from '../../../apps/console/src/components/reason';
import { UsersPage } from '../../../apps/console/src/views/users';
import { type Call, json, renderSignedIn } from './fake-api';

const account = (overrides: Record<string, unknown> = {}) => ({
  id: 'u2',
  username: 'p.petrovic',
  displayName: 'Petar Petrović',
  role: 'police_officer',
  organisation: 'MUP',
  region: 'PU-NIS',
  office: null,
  email: null,
  active: true,
  mfaEnrolled: true,
  lockedUntil: null,
  version: 4,
  ...overrides,
});

const ADMIN = [{ action: 'manage', subject: 'User' }];

function fakeUsers(pending: unknown[] = []) {
  return (call: Call): Response | undefined => {
    const path = call.url.split('?')[0];
    if (path === '/users' && call.method === 'GET') return json({ items: [account()], nextCursor: null });
    if (path === '/users/role-changes') return json({ items: pending, nextCursor: null });
    if (path === '/reference/police-administrations') {
      return json({
        items: [
          { code: 'PU-NIS', name: 'PU Niš' },
          { code: 'PU-BEOGRAD', name: 'PU za grad Beograd' },
        ],
      });
    }
    if (path === '/reference/uiks-offices') return json({ items: [{ code: 'UIKS-NIS', name: 'Kancelarija Niš' }] });
    if (path === '/users' && call.method === 'POST') return json({ ...account({ id: 'u3', active: false }) }, 201);
    if (path === '/users/u2' && call.method === 'PATCH') {
      const body = call.body as { role?: string };
      return body.role && body.role !== 'police_officer' ? json({ id: 'c1' }, 202) : json(account({ version: 5 }));
    }
    if (path === '/users/u2/reset-password') return json({ id: 'c2', kind: 'password_reset' }, 202);
    if (path === '/users/u9/role-changes/c9/confirm') return json({ temporaryPassword: 'Privremena-123456' });
    return undefined;
  };
}

describe('user accounts for admins', () => {
  it('lists accounts in words and changes a role as a pending change, with the reason and If-Match', async () => {
    rememberReason('users', 'Raspored 12/2026');
    const { calls } = renderSignedIn(<UsersPage />, { role: 'admin', rules: ADMIN, answer: fakeUsers() });
    const row = (await screen.findByText('p.petrovic')).closest('tr')!;
    expect(within(row).getByText('policijski službenik')).toBeTruthy();
    expect(within(row).getByText('PU-NIS')).toBeTruthy();

    fireEvent.click(within(row).getByRole('button', { name: 'Izmeni' }));
    const form = within(screen.getByRole('button', { name: 'Otkaži' }).closest('tr')!)
      .getByRole('button', { name: 'Sačuvaj' })
      .closest('form')!;
    fireEvent.change(within(form).getByLabelText('Uloga'), { target: { value: 'registry_clerk' } });
    const office = within(form).getByLabelText('Kancelarija UIKS (poverenička služba)');
    await waitFor(() => expect(within(office).getByText('Kancelarija Niš (UIKS-NIS)')).toBeTruthy());
    fireEvent.change(office, { target: { value: 'UIKS-NIS' } });
    fireEvent.submit(form);
    await screen.findByText('Izmena čeka potvrdu drugog administratora.');
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(patch.headers['if-match']).toBe('"4"');
    expect(patch.headers['x-access-reason']).toBe(encodeURIComponent('Raspored 12/2026'));
    expect(patch.body).toEqual({
      displayName: 'Petar Petrović',
      role: 'registry_clerk',
      region: null,
      office: 'UIKS-NIS',
      email: null,
    });
  });

  it('creates an account with a region picked by name; the password it sends is never shown', async () => {
    rememberReason('users', 'Novi službenik');
    const { calls } = renderSignedIn(<UsersPage />, { role: 'admin', rules: ADMIN, answer: fakeUsers() });
    await screen.findByText('p.petrovic');
    const form = screen.getByRole('heading', { name: 'Novi nalog' }).parentElement!.querySelector('form')!;
    fireEvent.change(within(form).getByLabelText('Korisničko ime'), { target: { value: 'm.milic' } });
    fireEvent.change(within(form).getByLabelText('Ime i prezime'), { target: { value: 'Mila Milić' } });
    fireEvent.change(within(form).getByLabelText('Organizacija'), { target: { value: 'MUP' } });
    fireEvent.change(within(form).getByLabelText('Uloga'), { target: { value: 'police_officer' } });
    const region = within(form).getByLabelText('Policijska uprava');
    await waitFor(() => expect(within(region).getByText('PU za grad Beograd (PU-BEOGRAD)')).toBeTruthy());
    fireEvent.change(region, { target: { value: 'PU-BEOGRAD' } });
    fireEvent.submit(form);
    await screen.findByText('Nalog je napravljen i čeka potvrdu drugog administratora.');
    const post = calls.find((c) => c.method === 'POST' && c.url === '/users')!;
    const { password, ...sent } = post.body as Record<string, string>;
    expect(sent).toEqual({
      username: 'm.milic',
      displayName: 'Mila Milić',
      organisation: 'MUP',
      role: 'police_officer',
      region: 'PU-BEOGRAD',
    });
    expect(password).toMatch(/^[0-9a-f]{48}$/);
    expect(screen.queryByText(password)).toBeNull();
    // The form is empty again: a second click cannot make a second account.
    expect((within(form).getByLabelText('Korisničko ime') as HTMLInputElement).value).toBe('');
  });

  it('confirms a pending activation and shows the temporary password once', async () => {
    rememberReason('users', 'Aktiviranje');
    renderSignedIn(<UsersPage />, {
      role: 'admin',
      rules: ADMIN,
      answer: fakeUsers([
        {
          id: 'c9',
          userId: 'u9',
          kind: 'activation',
          role: 'auditor',
          region: null,
          office: null,
          requestedAt: '2026-12-03T09:00:00Z',
        },
      ]),
    });
    const pending = (await screen.findByText('Aktiviranje novog naloga: revizor')).closest('tr')!;
    fireEvent.click(within(pending).getByRole('button', { name: 'Potvrdi' }));
    const shown = await screen.findByTestId('temporary-password');
    expect(within(shown).getByText('Privremena-123456')).toBeTruthy();
    fireEvent.click(within(shown).getByRole('button', { name: 'Zatvori' }));
    expect(screen.queryByText('Privremena-123456')).toBeNull();
  });
});
