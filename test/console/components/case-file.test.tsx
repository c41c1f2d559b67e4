import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { rememberReason } from '../../../apps/console/src/components/reason';
import { PersonPage } from '../../../apps/console/src/views/person';
import { CLERK_RULES, json, onTab, page, person, renderSignedIn } from './fake-api';

const JUDGE_RULES = [
  { action: 'read', subject: ['Person', 'Conviction', 'Measure', 'Compliance', 'Acknowledgement'] },
  { action: 'export', subject: 'CaseFile' },
];

function onPersonPage(rules: { action: string | string[]; subject: string | string[] }[], role = 'registry_clerk') {
  rememberReason('person:p1', 'KT 1/2026');
  onTab('history');
  return renderSignedIn(<PersonPage id="p1" />, {
    role: role as never,
    rules,
    answer: (call) => {
      if (call.method === 'GET' && call.url === '/persons/p1') return json(person(), 200, { etag: '"7"' });
      if (call.method === 'GET' && call.url.startsWith('/persons/p1/case-file')) {
        return new Response('%PDF-1.3', { status: 200, headers: { 'content-type': 'application/pdf' } });
      }
      if (call.method === 'GET') return page([]);
      return undefined;
    },
  });
}

describe('case file download on the person page', () => {
  it('is not offered to a role without the case file', async () => {
    onPersonPage(CLERK_RULES);
    await screen.findByTestId('panel-history');
    expect(screen.queryByTestId('case-file-form')).toBeNull();
  });

  it('asks the recipient office, sends nothing without one, then downloads the signed PDF for it', async () => {
    const created = vi.fn(() => 'blob:case-file');
    URL.createObjectURL = created;
    URL.revokeObjectURL = vi.fn();
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    const { calls } = onPersonPage(JUDGE_RULES, 'judicial_officer');
    const form = await screen.findByTestId('case-file-form');
    expect(screen.getByRole('heading', { name: 'Spis predmeta' })).toBeTruthy();
    const button = within(form).getByRole('button', { name: 'Preuzmi spis (PDF)' });
    expect(button).toHaveProperty('disabled', true);
    fireEvent.submit(form);
    expect(calls.filter((c) => c.url.includes('case-file'))).toEqual([]);

    fireEvent.change(within(form).getByLabelText('Tužilaštvo kome se spis izdaje'), {
      target: { value: 'Osnovno javno tužilaštvo u Nišu' },
    });
    fireEvent.submit(form);
    await waitFor(() => expect(calls.some((c) => c.url.startsWith('/persons/p1/case-file'))).toBe(true));
    await waitFor(() => expect(clicked).toHaveBeenCalled());
    const call = calls.find((c) => c.url.startsWith('/persons/p1/case-file'))!;
    expect(call.method).toBe('GET');
    const query = new URLSearchParams(call.url.split('?')[1]);
    expect(Object.fromEntries(query)).toEqual({ recipient: 'Osnovno javno tužilaštvo u Nišu', format: 'pdf' });
    expect(call.headers['x-access-reason']).toBe(encodeURIComponent('KT 1/2026'));
    expect(created).toHaveBeenCalledTimes(1);
    clicked.mockRestore();
  });
});
