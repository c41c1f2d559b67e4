import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../../../apps/console/src/api/client';
import { TokenStore } from '../../../apps/console/src/api/tokens';
import { LoginPage } from '../../../apps/console/src/components/login';
import { I18nProvider } from '../../../apps/console/src/i18n';

describe('the sign-in page', () => {
  it('switches language before anyone signs in, and remembers the choice', () => {
    localStorage.removeItem('register.language');
    const fetcher = vi.fn() as unknown as typeof fetch;
    const api = new ApiClient(new TokenStore(localStorage, { request: (_name, callback) => callback() }), fetcher);
    render(
      <I18nProvider>
        <LoginPage api={api} onSignedIn={() => undefined} />
      </I18nProvider>,
    );
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Posebna evidencija');
    fireEvent.click(screen.getByRole('button', { name: 'English' }));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Special register');
    expect(localStorage.getItem('register.language')).toBe('en');
    fireEvent.click(screen.getByRole('button', { name: 'Srpski' }));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Posebna evidencija');
    expect(fetcher).not.toHaveBeenCalled();
  });
});
