import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { today } from '../../../apps/console/src/components/form';
import { rememberReason } from '../../../apps/console/src/components/reason';
import type { Acknowledgement } from '../../../apps/console/src/types';
import { PersonPage } from '../../../apps/console/src/views/person';
import { type Call, CLERK_RULES, json, onTab, page, person, renderSignedIn } from './fake-api';

const recorded: Acknowledgement = {
  id: 'a1',
  measureIds: ['m2'],
  explainedOn: '2026-11-30',
  explainedBy: 'Milan Jović, savetnik',
  form: { contentType: 'application/pdf', sha256: 'ab', sizeBytes: 10 },
  recordedBy: 'u1',
  createdAt: '2026-11-30T10:00:00Z',
  voidedAt: null,
  voidedBy: null,
  voidReason: null,
  version: 1,
};

function clerkOnPersonPage(acknowledgements: Acknowledgement[], onPost?: (call: Call) => Response | undefined) {
  rememberReason('person:p1', 'KT 1/2026');
  onTab('measures');
  return renderSignedIn(<PersonPage id="p1" />, {
    rules: CLERK_RULES,
    answer: (call) => {
      if (call.method === 'GET' && call.url === '/persons/p1') return json(person(), 200, { etag: '"7"' });
      if (call.method === 'GET' && call.url.startsWith('/persons/p1/acknowledgements')) return page(acknowledgements);
      if (call.method === 'GET') return page([]);
      return onPost?.(call);
    },
  });
}

describe('acknowledgements on the person page', () => {
  it('marks each measure acknowledged or not', async () => {
    clerkOnPersonPage([]);
    const measures = await screen.findByTestId('measures');
    expect(
      within(measures)
        .getAllByTestId('ack-mark')
        .map((m) => m.textContent),
    ).toEqual(['✗ NIJE POTVRĐENO', '✓ potvrđeno', '✗ NIJE POTVRĐENO']);
  });

  it('offers the measures not ended, sends nothing until one is chosen, then the chosen ones, the day, who and the file', async () => {
    const { calls } = clerkOnPersonPage([], (call) =>
      call.url === '/persons/p1/acknowledgements' ? json({ ...recorded, id: 'a2' }, 201) : undefined,
    );
    const form = await screen.findByTestId('acknowledgement-form');
    const boxes = within(form).getAllByRole('checkbox');
    expect(boxes.map((b) => b.parentElement?.textContent?.trim())).toEqual([
      'Periodično javljanje · 20.\u00a012.\u00a02026. – 20.\u00a012.\u00a02031.',
      'Zabrana posećivanja mesta sa maloletnicima · 20.\u00a012.\u00a02026. – 20.\u00a012.\u00a02031.',
    ]);
    fireEvent.change(within(form).getByLabelText('Ko je objasnio (ime i funkcija)'), {
      target: { value: 'Milan Jović' },
    });
    const file = new File(['%PDF-1.4'], 'potvrda.pdf', { type: 'application/pdf' });
    fireEvent.change(within(form).getByLabelText(/Potpisani obrazac/), { target: { files: [file] } });
    expect(within(form).getByRole('button', { name: 'Otpremi' })).toHaveProperty('disabled', true);
    fireEvent.submit(form);
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);

    fireEvent.click(boxes[0]);
    fireEvent.submit(form);
    await within(form).findByText('Sačuvano.');
    const post = calls.find((c) => c.method === 'POST')!;
    const sent = post.body as FormData;
    expect(JSON.parse(String(sent.get('measureIds')))).toEqual(['m1']);
    expect(sent.get('explainedOn')).toBe(today());
    expect(sent.get('explainedBy')).toBe('Milan Jović');
    expect((sent.get('file') as File).name).toBe('potvrda.pdf');
    expect(post.headers['x-access-reason']).toBe(encodeURIComponent('KT 1/2026'));
  });

  it('lists acknowledgements and voids one', async () => {
    const { calls } = clerkOnPersonPage([recorded], (call) =>
      call.url === '/persons/p1/acknowledgements/a1/void'
        ? json({ ...recorded, voidedAt: '2026-12-01T10:00:00Z' })
        : undefined,
    );
    const list = await screen.findByTestId('acknowledgements');
    expect(list.textContent).toContain(
      '30.\u00a011.\u00a02026. · Milan Jović, savetnik · Zabrana posećivanja mesta sa maloletnicima',
    );
    expect(within(list).getByRole('button', { name: 'Preuzmi obrazac' })).toBeTruthy();
    fireEvent.click(within(list).getByRole('button', { name: 'Poništi' }));
    await waitFor(() => expect(calls.some((c) => c.url === '/persons/p1/acknowledgements/a1/void')).toBe(true));
    const voided = calls.find((c) => c.url.endsWith('/void'))!;
    expect(voided.method).toBe('POST');
    expect(voided.headers['x-access-reason']).toBe(encodeURIComponent('KT 1/2026'));
  });
});
