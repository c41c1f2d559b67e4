import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiClient, encodeReason } from '../../../apps/console/src/api/client';
import { TokenStore } from '../../../apps/console/src/api/tokens';
import { forgetReasons, ReasonGate, rememberReason } from '../../../apps/console/src/components/reason';

describe('the access reason', () => {
  it('is percent-encoded UTF-8', () => {
    expect(encodeReason('  Predmet č. 5/2026 ')).toBe('Predmet%20%C4%8D.%205%2F2026');
    expect(decodeURIComponent(encodeReason('Ђорђе ž'))).toBe('Ђорђе ž');
  });

  it('is asked for the first case, then kept for the working case across pages until changed', () => {
    forgetReasons();
    const view = vi.fn((reason: string) => <p>view with {reason}</p>);
    const { unmount } = render(<ReasonGate caseKey="person:1">{view}</ReasonGate>);
    expect(view).not.toHaveBeenCalled();
    expect(screen.queryByRole('group', { name: 'Skorašnji razlozi' })).toBeNull();
    fireEvent.change(screen.getByLabelText('Razlog'), { target: { value: 'ab' } });
    fireEvent.click(screen.getByRole('button', { name: 'Nastavi' }));
    expect(screen.getByRole('alert').textContent).toContain('od 3 do 200');
    fireEvent.change(screen.getByLabelText('Razlog'), { target: { value: 'KT 12/2026 – provera' } });
    fireEvent.click(screen.getByRole('button', { name: 'Nastavi' }));
    expect(screen.getByText('view with KT 12/2026 – provera')).toBeTruthy();
    unmount();
    // The same case again, or another page of the same work: no prompt, the reason shown.
    const again = render(<ReasonGate caseKey="person:1">{view}</ReasonGate>);
    expect(screen.getByText('view with KT 12/2026 – provera')).toBeTruthy();
    again.unmount();
    const other = render(<ReasonGate caseKey="morning">{view}</ReasonGate>);
    expect(screen.getByText('view with KT 12/2026 – provera')).toBeTruthy();

    // A new case: change it; the recent reasons are offered, a new one becomes the working reason.
    fireEvent.click(screen.getByRole('button', { name: 'Promeni razlog' }));
    const recent = screen.getByRole('group', { name: 'Skorašnji razlozi' });
    expect(recent.textContent).toContain('KT 12/2026 – provera');
    fireEvent.change(screen.getByLabelText('Razlog'), { target: { value: 'KT 40/2026' } });
    fireEvent.click(screen.getByRole('button', { name: 'Nastavi' }));
    expect(screen.getByText('view with KT 40/2026')).toBeTruthy();
    other.unmount();
    const third = render(<ReasonGate caseKey="person:2">{view}</ReasonGate>);
    expect(screen.getByText('view with KT 40/2026')).toBeTruthy();
    // The first case keeps the reason it was opened with.
    third.unmount();
    render(<ReasonGate caseKey="person:1">{view}</ReasonGate>);
    expect(screen.getByText('view with KT 12/2026 – provera')).toBeTruthy();
  });

  it('offers the recent reasons, newest first, and one click picks one', () => {
    forgetReasons();
    rememberReason('a', 'Prvi predmet');
    rememberReason('b', 'Drugi predmet');
    render(<ReasonGate caseKey="c">{(reason) => <p>view with {reason}</p>}</ReasonGate>);
    fireEvent.click(screen.getByRole('button', { name: 'Promeni razlog' }));
    const recent = screen.getByRole('group', { name: 'Skorašnji razlozi' });
    expect(
      within(recent)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['Drugi predmet', 'Prvi predmet']);
    fireEvent.click(within(recent).getByRole('button', { name: 'Prvi predmet' }));
    expect(screen.getByText('view with Prvi predmet')).toBeTruthy();
  });

  it('is forgotten at sign-out', () => {
    forgetReasons();
    rememberReason('a', 'Prvi predmet');
    forgetReasons();
    render(<ReasonGate caseKey="a">{(reason) => <p>view with {reason}</p>}</ReasonGate>);
    expect(screen.getByLabelText('Razlog')).toBeTruthy();
    expect(screen.queryByRole('group', { name: 'Skorašnji razlozi' })).toBeNull();
  });

  it('travels as the X-Access-Reason header', async () => {
    const fetcher = vi.fn(async () => new Response('{"items":[],"nextCursor":null}', { status: 200 }));
    const tokens = new TokenStore(localStorage, undefined);
    tokens.save({ accessToken: 'a1', refreshToken: 'r1', tokenType: 'Bearer', expiresIn: 900 }, 'demo.officer.bg');
    const api = new ApiClient(tokens, fetcher as unknown as typeof fetch);
    await api.get('/compliance/overdue', { reason: 'Jutarnji pregled, PU Čačak' });
    const [url, init] = fetcher.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/compliance/overdue');
    const headers = init.headers as Record<string, string>;
    expect(headers['x-access-reason']).toBe('Jutarnji%20pregled%2C%20PU%20%C4%8Ca%C4%8Dak');
    expect(headers.authorization).toBe('Bearer a1');
  });
});
