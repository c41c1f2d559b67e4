import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiClient, encodeReason } from '../../../apps/console/src/api/client';
import { TokenStore } from '../../../apps/console/src/api/tokens';
import { forgetReasons, ReasonGate } from '../../../apps/console/src/components/reason';

describe('the access reason', () => {
  it('is percent-encoded UTF-8', () => {
    expect(encodeReason('  Predmet č. 5/2026 ')).toBe('Predmet%20%C4%8D.%205%2F2026');
    expect(decodeURIComponent(encodeReason('Ђорђе ž'))).toBe('Ђорђе ž');
  });

  it('is asked once per case and then shown, not asked again', () => {
    forgetReasons();
    const view = vi.fn((reason: string) => <p>view with {reason}</p>);
    const { unmount } = render(<ReasonGate caseKey="person:1">{view}</ReasonGate>);
    expect(view).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText('Razlog'), { target: { value: 'ab' } });
    fireEvent.click(screen.getByRole('button', { name: 'Nastavi' }));
    expect(screen.getByRole('alert').textContent).toContain('od 3 do 200');
    fireEvent.change(screen.getByLabelText('Razlog'), { target: { value: 'KT 12/2026 – provera' } });
    fireEvent.click(screen.getByRole('button', { name: 'Nastavi' }));
    expect(screen.getByText('view with KT 12/2026 – provera')).toBeTruthy();
    unmount();
    // The same case again: no prompt. Another case: a prompt.
    render(<ReasonGate caseKey="person:1">{view}</ReasonGate>);
    expect(screen.getByText('view with KT 12/2026 – provera')).toBeTruthy();
    render(<ReasonGate caseKey="person:2">{view}</ReasonGate>);
    expect(screen.getAllByLabelText('Razlog')).toHaveLength(1);
  });

  it('travels as the X-Access-Reason header', async () => {
    const fetcher = vi.fn(async () => new Response('{"items":[],"nextCursor":null}', { status: 200 }));
    const tokens = new TokenStore(localStorage, undefined);
    tokens.save({ accessToken: 'a1', refreshToken: 'r1', expiresIn: 900 }, 'demo.officer.bg');
    const api = new ApiClient(tokens, fetcher as unknown as typeof fetch);
    await api.get('/compliance/overdue', { reason: 'Jutarnji pregled, PU Čačak' });
    const [url, init] = fetcher.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/compliance/overdue');
    const headers = init.headers as Record<string, string>;
    expect(headers['x-access-reason']).toBe('Jutarnji%20pregled%2C%20PU%20%C4%8Ca%C4%8Dak');
    expect(headers.authorization).toBe('Bearer a1');
  });
});
