import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { rememberReason } from '../../../apps/console/src/components/reason';
import { I18nProvider } from '../../../apps/console/src/i18n';
import { TravelReturns } from '../../../apps/console/src/views/check-in';
import { DisclosureForm, DisclosuresPage } from '../../../apps/console/src/views/disclosures';
import { json, page, renderSignedIn } from './fake-api';

const SHA = 'ab'.repeat(32);
const disclosure = (overrides: object = {}) => ({
  id: 'd1',
  personId: 'p1',
  recipient: { authority: 'Bundeskriminalamt', country: 'AT' },
  channel: 'bilateral',
  legalBasis: 'Ugovor o policijskoj saradnji',
  caseReference: 'BKA-1',
  fields: ['identity', 'measures', 'travel_notices'],
  packageSha256: SHA,
  travelNoticeId: 'n1',
  createdBy: 'u1',
  createdAt: '2026-12-03T10:00:00.000Z',
  ...overrides,
});
const travelNotice = {
  id: 'n1',
  kind: 'travel_abroad',
  details: { destinationCountry: 'AT', departOn: '2026-12-20', returnOn: '2026-12-27' },
  returnedOn: null,
  voidedAt: null,
};

const checked = () =>
  screen
    .getAllByRole('checkbox')
    .filter((box) => (box as HTMLInputElement).checked)
    .map((box) => box.parentElement?.textContent?.trim());

const COUNTRIES = [
  { code: 'CH', nameSr: 'Švajcarska', nameEn: 'Switzerland' },
  { code: 'CZ', nameSr: 'Češka', nameEn: 'Czechia' },
  { code: 'ME', nameSr: 'Crna Gora', nameEn: 'Montenegro' },
  { code: 'AT', nameSr: 'Austrija', nameEn: 'Austria' },
];

describe('disclosures abroad', () => {
  it('prepares an outbound notice from a travel notice: destination, bilateral, identity, measures and travel', async () => {
    const { calls } = renderSignedIn(
      <I18nProvider>
        <TravelReturns personId="p1" reason="KT-1/2026" />
      </I18nProvider>,
      {
        rules: [
          { action: ['read', 'record'], subject: 'Notification' },
          { action: ['create', 'read', 'export'], subject: 'Disclosure' },
        ],
        answer: (call) => {
          if (call.method === 'GET' && call.url.startsWith('/persons/p1/notifications')) return page([travelNotice]);
          if (call.url === '/reference/countries') return json({ items: COUNTRIES });
          if (call.method === 'POST' && call.url === '/persons/p1/disclosures') return json(disclosure(), 201);
          return undefined;
        },
      },
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Pripremi obaveštenje' }));
    const form = screen.getByTestId('disclosure-form');
    // The country by its Serbian name, in the Serbian alphabet's order (Č after C, Š after S), sent as its code.
    const country = (await within(form).findByRole('combobox', { name: 'Država primaoca' })) as HTMLSelectElement;
    expect(country.value).toBe('AT');
    expect([...country.options].map((o) => o.text)).toEqual(['—', 'Austrija', 'Crna Gora', 'Češka', 'Švajcarska']);
    expect((within(form).getByLabelText('Kanal') as HTMLSelectElement).value).toBe('bilateral');
    expect(checked()).toEqual(['Identitet', 'Posebne mere', 'Putovanja u inostranstvo']);

    fireEvent.change(within(form).getByLabelText('Organ primalac'), { target: { value: 'Bundeskriminalamt' } });
    fireEvent.change(within(form).getByLabelText('Pravni osnov'), {
      target: { value: 'Ugovor o policijskoj saradnji' },
    });
    fireEvent.change(within(form).getByLabelText('Broj predmeta'), { target: { value: 'BKA-1' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Dostavi' }));

    const sent = await screen.findByTestId('disclosure-sent');
    expect(sent.textContent).toContain(SHA);
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.body).toEqual({
      recipient: { authority: 'Bundeskriminalamt', country: 'AT' },
      channel: 'bilateral',
      legalBasis: 'Ugovor o policijskoj saradnji',
      caseReference: 'BKA-1',
      fields: ['identity', 'measures', 'travel_notices'],
      travelNoticeId: 'n1',
    });
    expect(post?.headers['idempotency-key']).toMatch(/.+/);
    expect(post?.headers['x-access-reason']).toBe('KT-1%2F2026');
  });

  it('does not offer the outbound notice to those who may not disclose', async () => {
    renderSignedIn(
      <I18nProvider>
        <TravelReturns personId="p1" reason="KT-1/2026" />
      </I18nProvider>,
      {
        role: 'police_officer',
        rules: [{ action: ['read', 'record'], subject: 'Notification' }],
        answer: (call) => (call.url.startsWith('/persons/p1/notifications') ? page([travelNotice]) : undefined),
      },
    );
    await screen.findByTestId('travel-returns');
    expect(screen.queryByRole('button', { name: 'Pripremi obaveštenje' })).toBeNull();
  });

  it('starts a disclosure on the person page with Interpol and the identity, and sends nothing without a part', async () => {
    const { calls } = renderSignedIn(<DisclosureForm personId="p1" reason="KT-1/2026" />, {
      rules: [{ action: 'create', subject: 'Disclosure' }],
      answer: () => undefined,
    });
    expect((screen.getByLabelText('Kanal') as HTMLSelectElement).value).toBe('interpol');
    expect(checked()).toEqual(['Identitet']);
    fireEvent.click(screen.getByLabelText('Identitet'));
    expect((screen.getByRole('button', { name: 'Dostavi' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByLabelText('DNK referenca'));
    fireEvent.click(screen.getByLabelText('Identitet'));
    // Always in the server's order, whatever order they were ticked in.
    expect(checked()).toEqual(['Identitet', 'DNK referenca']);
    // Only the countries were read.
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['GET /reference/countries']);
  });

  it('lists disclosures for a clerk with the person and the PDF', async () => {
    rememberReason('disclosures', 'Pregled razmene');
    renderSignedIn(<DisclosuresPage />, {
      rules: [{ action: ['create', 'read', 'export'], subject: 'Disclosure' }],
      answer: (call) =>
        call.url.startsWith('/disclosures')
          ? page([disclosure({ person: { surname: 'Đorđević', givenNames: 'Žarko' } })])
          : undefined,
    });
    const [row] = await screen.findAllByTestId('disclosure-row');
    expect(within(row).getByRole('link', { name: 'Đorđević, Žarko' }).getAttribute('href')).toBe('/console/persons/p1');
    expect(row.textContent).toContain('Bundeskriminalamt (AT)');
    expect(row.textContent).toContain('Bilateralno');
    expect(within(row).getByRole('button', { name: 'Preuzmi PDF' })).toBeTruthy();
  });

  it('lists the records only for an auditor: the person id, no name, no package', async () => {
    rememberReason('disclosures', 'Kontrola');
    const { calls } = renderSignedIn(<DisclosuresPage />, {
      role: 'auditor',
      rules: [{ action: 'read', subject: 'Disclosure' }],
      answer: (call) => (call.url.startsWith('/disclosures') ? page([disclosure()]) : undefined),
    });
    const [row] = await screen.findAllByTestId('disclosure-row');
    expect(within(row).queryByRole('link')).toBeNull();
    expect(within(row).queryByRole('button')).toBeNull();
    expect(row.textContent).toContain('p1');
    await waitFor(() => expect(calls.map((c) => c.url)).toEqual(['/disclosures?limit=50']));
  });
});
