import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../../../apps/console/src/api/client';
import { TokenStore } from '../../../apps/console/src/api/tokens';
import { type Me, SessionProvider, sessionOf } from '../../../apps/console/src/auth/session';
import type { Person } from '../../../apps/console/src/types';
import { AcknowledgementForm } from '../../../apps/console/src/views/part-forms';

describe('recording duties acknowledged', () => {
  it('sends the measures chosen, the day, who explained them and the signed form as multipart', async () => {
    const sent: { url: string; init: RequestInit }[] = [];
    const fetcher = vi.fn(async (url: string, init: RequestInit) => {
      sent.push({ url, init });
      return new Response(JSON.stringify({ id: 'k1' }), { status: 201 });
    });
    const tokens = new TokenStore(localStorage, undefined);
    tokens.save({ accessToken: 'a', refreshToken: 'r', tokenType: 'Bearer', expiresIn: 900 }, 'demo.clerk');
    const api = new ApiClient(tokens, fetcher as unknown as typeof fetch);
    const me = { role: 'registry_clerk', permissions: [] } as unknown as Me;
    const measure = (id: string, type: string) => ({
      id,
      type,
      startsOn: '2026-01-01',
      endsOn: '2030-01-01',
      reportTo: null,
      everyDays: null,
      status: 'active',
      version: 1,
      acknowledged: false,
    });
    const person = {
      id: 'p1',
      measures: [measure('m1', 'periodic_reporting'), measure('m2', 'ban_places_with_minors')],
    } as unknown as Person;
    const onSaved = vi.fn();
    render(
      <SessionProvider value={sessionOf(api, me, () => undefined)}>
        <AcknowledgementForm person={person} reason="KT 1/2026" onSaved={onSaved} />
      </SessionProvider>,
    );
    const form = screen.getByTestId('acknowledgement-form');
    const boxes = form.querySelectorAll<HTMLInputElement>('input[type="checkbox"]');
    fireEvent.click(boxes[1]);
    fireEvent.change(screen.getByLabelText('Ko je objasnio (ime i funkcija)'), {
      target: { value: 'Milan Jović, savetnik' },
    });
    const scan = new File(['%PDF-1.4\n'], 'obrazac.pdf', { type: 'application/pdf' });
    fireEvent.change(screen.getByLabelText('Potpisani obrazac (PDF, JPEG ili PNG, najviše 10 MiB)'), {
      target: { files: [scan] },
    });
    expect(screen.getByRole('button', { name: 'Otpremi' })).toHaveProperty('disabled', false);
    // jsdom's constraint validation does not see a file set by the test: submit the form itself.
    fireEvent.submit(form);
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(sent).toHaveLength(1);
    expect(sent[0].url).toContain('/api/v1/persons/p1/acknowledgements');
    expect(sent[0].init.method).toBe('POST');
    const body = sent[0].init.body as FormData;
    expect(body.get('measureIds')).toBe('["m2"]');
    expect(body.get('explainedOn')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(body.get('explainedBy')).toBe('Milan Jović, savetnik');
    expect((body.get('file') as File).name).toBe('obrazac.pdf');
  });
});
