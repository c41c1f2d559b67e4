import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { VettingPage, VettingVolumePage } from '../../../apps/console/src/views/vetting';
import { json, page, renderSignedIn } from './fake-api';

const VETTING_RULES = [{ action: ['create', 'read'], subject: 'VettingRequest' }];

function fill(label: string, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

function fillRequest(jmbg: string) {
  fill('Naziv poslodavca', 'OŠ Vuk Karadžić');
  fill('Matični broj', '07001234');
  fill('Delatnost (posao kandidata)', 'Nastavnik');
  fill('Ime', 'Petar');
  fill('Prezime', 'Petrović');
  fill('JMBG', jmbg);
  fill('Pravni osnov', 'Zakon o osnovama sistema obrazovanja, čl. 139');
  fill('Broj zahteva poslodavca', 'OŠ 112/2026');
}

describe('employer vetting', () => {
  it('refuses a JMBG with a wrong check digit before asking', () => {
    const { calls } = renderSignedIn(<VettingPage />, {
      role: 'vetting_officer',
      rules: VETTING_RULES,
      answer: () => undefined,
    });
    fillRequest('0101990710009');
    expect(screen.getByRole('button', { name: 'Proveri i izdaj uverenje' })).toHaveProperty('disabled', true);
    expect(calls).toEqual([]);
  });

  it('sends the request with an Idempotency-Key, shows the answer, and downloads the certificate', async () => {
    const createObjectURL = vi.fn(() => 'blob:certificate');
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    const answer = {
      requestId: 'r1',
      barred: true,
      certificateNumber: 'ABCDEFGHI-JKLMNOPQR-STUVWXYZ2',
      issuedOn: '2026-12-03',
      validUntil: '2027-03-02',
    };
    const { calls } = renderSignedIn(<VettingPage />, {
      role: 'vetting_officer',
      rules: VETTING_RULES,
      answer: (call) =>
        call.method === 'POST' && call.url === '/vetting-requests'
          ? json(answer, 201)
          : call.url === '/vetting-requests/r1/certificate'
            ? new Response('%PDF-1.7', { headers: { 'content-type': 'application/pdf' } })
            : undefined,
    });
    fillRequest('0101990710008');
    fireEvent.click(screen.getByRole('button', { name: 'Proveri i izdaj uverenje' }));
    const status = await screen.findByTestId('vetting-answer');
    expect(status.textContent).toBe(
      'POD ZABRANOM na dan izdavanjaBroj uverenjaABCDEFGHI-JKLMNOPQR-STUVWXYZ2Izdato3.\u00a012.\u00a02026.Važi do2.\u00a03.\u00a02027.',
    );
    expect(calls[0].body).toEqual({
      employer: { name: 'OŠ Vuk Karadžić', registryNumber: '07001234' },
      activity: 'Nastavnik',
      publicOffice: false,
      candidate: { givenNames: 'Petar', surname: 'Petrović', jmbg: '0101990710008' },
      legalBasis: 'Zakon o osnovama sistema obrazovanja, čl. 139',
      requestReference: 'OŠ 112/2026',
    });
    expect(calls[0].headers['idempotency-key']).toMatch(/^[\x21-\x7e]{1,64}$/);
    fireEvent.click(screen.getByRole('button', { name: 'Preuzmi uverenje (PDF)' }));
    await waitFor(() => expect(calls.map((c) => c.url)).toContain('/vetting-requests/r1/certificate'));
    await waitFor(() => expect(createObjectURL).toHaveBeenCalledTimes(1));
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'POST /vetting-requests',
      'GET /vetting-requests/r1/certificate',
    ]);
  });

  it('shows a not barred answer the same way, with a new request after it', async () => {
    renderSignedIn(<VettingPage />, {
      role: 'vetting_officer',
      rules: VETTING_RULES,
      answer: (call) =>
        call.method === 'POST'
          ? json(
              {
                requestId: 'r2',
                barred: false,
                certificateNumber: 'AAAAAAAAA-AAAAAAAAA-AAAAAAAAA',
                issuedOn: '2026-12-03',
                validUntil: '2027-03-02',
              },
              201,
            )
          : undefined,
    });
    fillRequest('0101990710008');
    fireEvent.click(screen.getByRole('button', { name: 'Proveri i izdaj uverenje' }));
    expect((await screen.findByTestId('vetting-answer')).textContent).toContain('NIJE POD ZABRANOM na dan izdavanja');
    fireEvent.click(screen.getByRole('button', { name: 'Novi zahtev' }));
    expect((screen.getByLabelText('JMBG') as HTMLInputElement).value).toBe('');
  });
});

describe('vetting volume (auditors)', () => {
  it('lists requests per employer and day, and pages on', async () => {
    const { calls } = renderSignedIn(<VettingVolumePage />, {
      role: 'auditor',
      rules: [{ action: 'read', subject: 'VettingVolume' }],
      answer: (call) =>
        call.url.startsWith('/vetting-requests/volume')
          ? call.url.includes('cursor=')
            ? page([{ day: '2026-12-02', registryNumber: '07001234', employerName: 'OŠ Vuk Karadžić', requests: 3 }])
            : page(
                [{ day: '2026-12-03', registryNumber: '27001234', employerName: 'Sportski klub', requests: 51 }],
                'next',
              )
          : undefined,
    });
    const rows = await screen.findAllByTestId('vetting-volume-row');
    expect(rows.map((r) => r.textContent)).toEqual(['3.\u00a012.\u00a02026.Sportski klub2700123451']);
    fireEvent.click(screen.getByRole('button', { name: 'Još' }));
    await waitFor(() => expect(screen.getAllByTestId('vetting-volume-row')).toHaveLength(2));
    expect(calls[1].url).toContain('cursor=next');
  });
});
