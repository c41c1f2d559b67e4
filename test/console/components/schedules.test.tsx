import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { rememberReason } from '../../../apps/console/src/components/reason';
import { scheduleWords } from '../../../apps/console/src/i18n';
import { PersonPage } from '../../../apps/console/src/views/person';
import { CLERK_RULES, json, onTab, page, person, renderSignedIn } from './fake-api';

const OFFICES = {
  items: [
    {
      code: 'UIKS-NIS',
      name: 'Poverenička kancelarija Niš',
      policeAdministrations: ['PU-NIS'],
      active: true,
      version: 1,
    },
    { code: 'UIKS-OLD', name: 'Zatvorena kancelarija', policeAdministrations: [], active: false, version: 2 },
  ],
};

describe('schedules in words', () => {
  it('says each kind in Serbian and English', () => {
    expect(scheduleWords({ kind: 'monthly' }, 'sr')).toBe('mesečno');
    expect(scheduleWords({ kind: 'weekly' }, 'sr')).toBe('svake nedelje');
    expect(scheduleWords({ kind: 'weekdays', weekdays: [4, 1] }, 'sr')).toBe('ponedeljkom i četvrtkom');
    expect(scheduleWords({ kind: 'weekdays', weekdays: [1, 3, 5] }, 'sr')).toBe('ponedeljkom, sredom i petkom');
    expect(scheduleWords({ kind: 'every_days', everyDays: 30 }, 'sr')).toBe('svakih 30 dana');
    expect(scheduleWords({ kind: 'monthly' }, 'en')).toBe('monthly');
    expect(scheduleWords({ kind: 'weekdays', weekdays: [1, 4] }, 'en')).toBe('on Mondays and Thursdays');
    expect(scheduleWords({ kind: 'every_days', everyDays: 14 }, 'en')).toBe('every 14 days');
  });
});

function clerkOnPersonPage(office: string | null = null, tab = 'measures') {
  rememberReason('person:p1', 'KT 1/2026');
  onTab(tab);
  return renderSignedIn(<PersonPage id="p1" />, {
    office,
    rules: CLERK_RULES,
    answer: (call) => {
      if (call.method === 'GET' && call.url === '/persons/p1') return json(person(), 200, { etag: '"7"' });
      if (call.url === '/reference/uiks-offices') return json(OFFICES);
      if (call.url === '/reference/counselling-institutions') {
        return json({
          items: [
            { code: 'CSR-NIS', name: 'Centar za socijalni rad Niš', city: 'Niš', active: true, version: 1 },
            { code: 'DZ-NIS', name: 'Dom zdravlja Niš', city: 'Niš', active: true, version: 1 },
            { code: 'DZ-BOR', name: 'Dom zdravlja Bor', city: 'Bor', active: false, version: 1 },
          ],
        });
      }
      if (call.url === '/reference/offences') {
        return json({
          items: [
            { article: '180', title: 'Obljuba deteta', paragraphs: [1, 2], juvenileOnly: true, version: 1 },
            {
              article: '185',
              title: 'Prikazivanje pornografskog materijala',
              paragraphs: [1],
              juvenileOnly: false,
              version: 1,
            },
          ],
        });
      }
      if (call.method === 'GET' && call.url.startsWith('/persons/p1/check-ins')) {
        return page([
          {
            id: 'k1',
            measureId: 'm1',
            authority: 'uiks',
            office: 'UIKS-NIS',
            occurredAt: '2026-12-21T09:00:00Z',
            place: 'Niš',
            method: 'in_person',
            voidedAt: null,
            version: 1,
          },
          {
            id: 'k2',
            measureId: 'm1',
            authority: 'police',
            office: null,
            occurredAt: '2026-12-20T09:00:00Z',
            place: 'PS Medijana',
            method: 'in_person',
            voidedAt: null,
            version: 1,
          },
        ]);
      }
      if (call.method === 'GET') return page([]);
      if (call.method === 'POST') return json({ id: 'new' }, 201);
      return undefined;
    },
  });
}

describe('the measure form', () => {
  it('preselects monthly and sends it, with the police administration', async () => {
    const { calls } = clerkOnPersonPage();
    const form = await screen.findByTestId('measure-form');
    expect((within(form).getByLabelText('Raspored javljanja') as HTMLSelectElement).value).toBe('monthly');
    expect(within(form).queryByLabelText('Na svakih (dana)')).toBeNull();
    fireEvent.change(within(form).getByLabelText('Završava se'), { target: { value: '2030-01-01' } });
    fireEvent.submit(form);
    await within(form).findByText('Sačuvano.');
    const post = calls.find((c) => c.method === 'POST' && c.url === '/persons/p1/measures')!;
    expect(post.body).toMatchObject({
      type: 'periodic_reporting',
      endsOn: '2030-01-01',
      reportTo: 'PU-BEOGRAD',
      schedule: { kind: 'monthly' },
    });
    expect(post.body).not.toHaveProperty('uiks');
  });

  it('asks the days only for every_days, weekdays only for weekdays, and a UIKS office with its own schedule', async () => {
    const { calls } = clerkOnPersonPage();
    const form = await screen.findByTestId('measure-form');
    const kind = within(form).getByLabelText('Raspored javljanja');
    fireEvent.change(kind, { target: { value: 'every_days' } });
    expect((within(form).getByLabelText('Na svakih (dana)') as HTMLInputElement).value).toBe('30');
    fireEvent.change(kind, { target: { value: 'weekdays' } });
    expect(within(form).queryByLabelText('Na svakih (dana)')).toBeNull();
    const days = within(form).getByRole('group', { name: 'Dani javljanja' });
    fireEvent.click(within(days).getByLabelText('četvrtak'));

    const office = within(form).getByLabelText(/Kancelarija UIKS/) as HTMLSelectElement;
    await waitFor(() => expect(office.options).toHaveLength(2));
    expect([...office.options].map((o) => o.textContent)).toEqual([
      'Bez javljanja UIKS',
      'Poverenička kancelarija Niš (UIKS-NIS)',
    ]);
    fireEvent.change(office, { target: { value: 'UIKS-NIS' } });
    fireEvent.change(within(form).getByLabelText('Raspored javljanja u UIKS'), { target: { value: 'every_days' } });
    fireEvent.change(within(form).getByLabelText('UIKS: na svakih (dana)'), { target: { value: '14' } });
    fireEvent.change(within(form).getByLabelText('Završava se'), { target: { value: '2030-01-01' } });
    fireEvent.submit(form);
    await within(form).findByText('Sačuvano.');
    const post = calls.find((c) => c.method === 'POST' && c.url === '/persons/p1/measures')!;
    expect(post.body).toMatchObject({
      schedule: { kind: 'weekdays', weekdays: [1, 4] },
      uiks: { office: 'UIKS-NIS', schedule: { kind: 'every_days', everyDays: 14 } },
    });
  });

  it('sends no schedule for a measure without reporting', async () => {
    const { calls } = clerkOnPersonPage();
    const form = await screen.findByTestId('measure-form');
    fireEvent.change(within(form).getByLabelText('Vrsta mere'), { target: { value: 'ban_places_with_minors' } });
    expect(within(form).queryByLabelText('Raspored javljanja')).toBeNull();
    fireEvent.change(within(form).getByLabelText('Završava se'), { target: { value: '2030-01-01' } });
    fireEvent.submit(form);
    await within(form).findByText('Sačuvano.');
    const post = calls.find((c) => c.method === 'POST' && c.url === '/persons/p1/measures')!;
    expect(Object.keys(post.body as object).sort()).toEqual(['endsOn', 'startsOn', 'type']);
  });

  it('sends the institution and schedule of a counselling measure', async () => {
    const { calls } = clerkOnPersonPage();
    const form = await screen.findByTestId('measure-form');
    fireEvent.change(within(form).getByLabelText('Vrsta mere'), { target: { value: 'counselling' } });
    expect(within(form).queryByLabelText('Raspored javljanja')).toBeNull();
    const institution = await within(form).findByRole('option', { name: 'Dom zdravlja Niš (DZ-NIS)' });
    fireEvent.change(within(form).getByLabelText('Savetovalište (ustanova)'), {
      target: { value: (institution as HTMLOptionElement).value },
    });
    fireEvent.change(within(form).getByLabelText('Raspored savetovanja'), { target: { value: 'every_days' } });
    fireEvent.change(within(form).getByLabelText('Savetovanje: na svakih (dana)'), { target: { value: '14' } });
    fireEvent.change(within(form).getByLabelText('Završava se'), { target: { value: '2030-01-01' } });
    fireEvent.submit(form);
    await within(form).findByText('Sačuvano.');
    const post = calls.find((c) => c.method === 'POST' && c.url === '/persons/p1/measures')!;
    expect(post.body).toEqual({
      type: 'counselling',
      startsOn: expect.any(String),
      endsOn: '2030-01-01',
      counselling: { institution: 'DZ-NIS', schedule: { kind: 'every_days', everyDays: 14 } },
    });
  });
});

describe('check-ins per authority', () => {
  it("shows each measure's schedules in words and where each check-in was made", async () => {
    clerkOnPersonPage();
    const measures = await screen.findByTestId('measures');
    expect(measures.textContent).toContain('PU-NIS: ponedeljkom i četvrtkom');
    expect(measures.textContent).toContain('UIKS-NIS: mesečno');
    // Each authority's own status.
    expect(measures.textContent).toContain('Policija: uredno · UIKS-NIS: kasni');
    fireEvent.click(screen.getByRole('tab', { name: 'Radnje' }));
    const list = await screen.findByTestId('check-ins');
    const rows = within(list).getAllByRole('listitem');
    expect(rows.map((row) => row.querySelector('.act')?.textContent)).toEqual([
      '21.\u00a012.\u00a02026.\u00a010:00 · UIKS-NIS · Niš',
      '20.\u00a012.\u00a02026.\u00a010:00 · Policija (PU-NIS) · PS Medijana',
    ]);
  });

  it('lets a clerk without an office choose the UIKS office, and sends authority and office', async () => {
    const { calls } = clerkOnPersonPage();
    const choice = (await screen.findByLabelText('Javlja se')) as HTMLSelectElement;
    await waitFor(() =>
      expect([...choice.options].map((o) => o.textContent)).toEqual([
        'Policija (PU-NIS)',
        'Poverenička kancelarija Niš (UIKS-NIS)',
      ]),
    );
    fireEvent.change(choice, { target: { value: 'uiks' } });
    fireEvent.click(screen.getByRole('button', { name: 'Evidentiraj javljanje' }));
    fireEvent.click(screen.getByRole('button', { name: 'Potvrdi javljanje' }));
    await waitFor(() => expect(calls.some((c) => c.url === '/persons/p1/check-ins' && c.method === 'POST')).toBe(true));
    const post = calls.find((c) => c.url === '/persons/p1/check-ins' && c.method === 'POST')!;
    expect(post.body).toMatchObject({ measureId: 'm1', authority: 'uiks', office: 'UIKS-NIS', place: 'UIKS-NIS' });
  });

  it("offers no choice to a clerk of an office (the office is the server's default)", async () => {
    const { calls } = clerkOnPersonPage('UIKS-NIS');
    await screen.findByTestId('measures');
    expect(screen.queryByLabelText('Javlja se')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Evidentiraj javljanje' }));
    fireEvent.click(screen.getByRole('button', { name: 'Potvrdi javljanje' }));
    await waitFor(() => expect(calls.some((c) => c.url === '/persons/p1/check-ins' && c.method === 'POST')).toBe(true));
    const post = calls.find((c) => c.url === '/persons/p1/check-ins' && c.method === 'POST')!;
    expect(post.body).not.toHaveProperty('authority');
    expect(post.body).toMatchObject({ place: 'UIKS-NIS' });
  });
});

describe('the conviction form', () => {
  it("offers the catalogue's offences, those against minors only marked, and sends the one chosen", async () => {
    const { calls } = clerkOnPersonPage(null, 'convictions');
    const form = await screen.findByTestId('conviction-form');
    // A text field until the catalogue is read, then a choice.
    await waitFor(() => expect(within(form).getByLabelText('Krivično delo (član)').tagName).toBe('SELECT'));
    const offence = within(form).getByLabelText('Krivično delo (član)');
    expect([...(offence as HTMLSelectElement).options].map((o) => o.textContent)).toEqual([
      'čl. 180 – Obljuba deteta (samo prema maloletnicima)',
      'čl. 185 – Prikazivanje pornografskog materijala',
    ]);
    expect((offence as HTMLSelectElement).value).toBe('180');
    fireEvent.change(offence, { target: { value: '185' } });
    fireEvent.submit(form);
    await within(form).findByText('Sačuvano.');
    const post = calls.find((c) => c.method === 'POST' && c.url === '/persons/p1/convictions')!;
    expect(post.body).toMatchObject({ offences: [{ article: '185' }] });
  });
});
