import { packRules } from '@casl/ability/extra';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ACTIVITY_KEY, App } from '../../../apps/console/src/App';
import { ApiClient } from '../../../apps/console/src/api/client';
import { STORAGE_KEY, TokenStore } from '../../../apps/console/src/api/tokens';
import { I18nProvider } from '../../../apps/console/src/i18n';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A signed-in clerk, as the api would answer: /auth/me, and 204 to logout. */
function signedInClient() {
  const tokens = new TokenStore(localStorage, { request: (_name, callback) => callback() });
  tokens.save({ accessToken: 'a1', refreshToken: 'r1', tokenType: 'Bearer', expiresIn: 900 }, 'demo.clerk');
  const calls: string[] = [];
  const fetcher = vi.fn(async (url: string, init?: RequestInit) => {
    calls.push(`${init?.method ?? 'GET'} ${url}`);
    if (url.endsWith('/auth/me')) {
      return json({
        id: 'u1',
        username: 'demo.clerk',
        displayName: 'Demo clerk',
        role: 'registry_clerk',
        organisation: 'UIKS',
        region: null,
        email: null,
        mfaEnrolled: true,
        permissions: packRules([{ action: ['read', 'create', 'update'], subject: 'Person' }]),
      });
    }
    if (url.endsWith('/auth/logout')) return new Response(null, { status: 204 });
    return json({ type: 'urn:register:problem:not_found', title: 'Not Found', status: 404 }, 404);
  }) as unknown as typeof fetch;
  return { client: new ApiClient(tokens, fetcher), calls };
}

describe('the session in the console', () => {
  it('locks after the idle time without input: signs out and asks for the password of the same user', async () => {
    const { client, calls } = signedInClient();
    render(
      <I18nProvider>
        <App client={client} idleMs={200} />
      </I18nProvider>,
    );
    await screen.findByRole('button', { name: 'Odjava' });
    // Input keeps it open past the idle time.
    for (let i = 0; i < 4; i++) {
      await act(() => new Promise((resolve) => setTimeout(resolve, 80)));
      fireEvent.keyDown(window, { key: 'Shift' });
    }
    expect(screen.getByRole('button', { name: 'Odjava' })).toBeTruthy();
    expect(calls.filter((c) => c.includes('/auth/logout'))).toEqual([]);
    // Then nothing for longer than the idle time.
    await screen.findByText(/sesija je zaključana/, {}, { timeout: 2000 });
    expect(screen.getByRole('heading', { name: 'Sesija je zaključana' })).toBeTruthy();
    expect((screen.getByLabelText('Korisničko ime') as HTMLInputElement).value).toBe('demo.clerk');
    expect(calls).toContain('POST /api/v1/auth/logout');
    await waitFor(() => expect(localStorage.getItem(STORAGE_KEY)).toBeNull());
  });

  it('stays open while the user works in another tab', async () => {
    const { client, calls } = signedInClient();
    render(
      <I18nProvider>
        <App client={client} idleMs={200} />
      </I18nProvider>,
    );
    await screen.findByRole('button', { name: 'Odjava' });
    for (let i = 0; i < 6; i++) {
      await act(() => new Promise((resolve) => setTimeout(resolve, 80)));
      localStorage.setItem(ACTIVITY_KEY, String(Date.now())); // the other tab's input
    }
    expect(screen.getByRole('button', { name: 'Odjava' })).toBeTruthy();
    expect(calls.filter((c) => c.includes('/auth/logout'))).toEqual([]);
  });

  it('switches the labels to English and back, and remembers the choice', async () => {
    const { client } = signedInClient();
    render(
      <I18nProvider>
        <App client={client} idleMs={60_000} />
      </I18nProvider>,
    );
    fireEvent.click(await screen.findByRole('button', { name: 'English' }));
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'New person' })).toBeTruthy();
    expect(localStorage.getItem('register.language')).toBe('en');
    expect(document.documentElement.lang).toBe('en');
    fireEvent.click(screen.getByRole('button', { name: 'Srpski' }));
    expect(screen.getByRole('button', { name: 'Odjava' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('sr-Latn');
  });
});
