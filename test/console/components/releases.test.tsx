import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { addDays, today } from '../../../apps/console/src/components/form';
import { I18nProvider } from '../../../apps/console/src/i18n';
import { rememberReason } from '../../../apps/console/src/components/reason';
import { PersonPage } from '../../../apps/console/src/views/person';
import { ReleasesPage } from '../../../apps/console/src/views/releases';
import { CLERK_RULES, json, onTab, page, person, renderSignedIn } from './fake-api';

const item = (surname: string, acknowledged: boolean) => ({
  personId: `id-${surname}`,
  surname,
  givenNames: 'Petar',
  convictionId: `c-${surname}`,
  releaseOn: '2026-12-20',
  released: false,
  facility: null,
  plannedAddress: {
    kind: 'permanent',
    street: 'Obrenovićeva 1',
    city: 'Niš',
    postalCode: '18000',
    policeAdministration: 'PU-NIS',
  },
  measures: [
    { id: `m-${surname}`, type: 'periodic_reporting', startsOn: '2026-12-20', endsOn: '2031-12-20', acknowledged },
  ],
  acknowledged,
});

describe('the release list', () => {
  it('asks for a reason first, then reads today to 30 days on and marks who did not acknowledge', async () => {
    const { calls } = renderSignedIn(<ReleasesPage />, {
      rules: [{ action: 'read', subject: 'Address' }],
      answer: (call) =>
        call.url.startsWith('/compliance/releases')
          ? page(call.url.includes('cursor=') ? [item('Nikolić', true)] : [item('Petrović', false)], 'next1')
          : undefined,
    });
    expect(calls).toEqual([]);
    fireEvent.change(screen.getByLabelText('Razlog'), { target: { value: 'Priprema otpuštanja' } });
    fireEvent.click(screen.getByRole('button', { name: 'Nastavi' }));

    const rows = await screen.findAllByTestId('release-row');
    expect(rows).toHaveLength(1);
    const query = new URLSearchParams(calls[0].url.split('?')[1]);
    expect(Object.fromEntries(query)).toEqual({ from: today(), to: addDays(today(), 30), limit: '50' });
    expect(calls[0].headers['x-access-reason']).toBe(encodeURIComponent('Priprema otpuštanja'));
    expect(within(rows[0]).getByRole('link', { name: 'Petrović, Petar' }).getAttribute('href')).toBe(
      '/console/persons/id-Petrović',
    );
    expect(rows[0].textContent).toContain('Obrenovićeva 1, 18000 Niš (PU-NIS)');
    expect(rows[0].textContent).toContain('još u ustanovi');
    expect(
      within(rows[0])
        .getAllByTestId('ack-mark')
        .map((m) => m.textContent),
    ).toEqual(['✗ NIJE POTVRĐENO', '✗ NIJE POTVRĐENO']);

    fireEvent.click(screen.getByRole('button', { name: 'Još' }));
    await waitFor(() => expect(screen.getAllByTestId('release-row')).toHaveLength(2));
    expect(calls[1].url).toContain('cursor=next1');
    expect(screen.getAllByTestId('release-row')[1].textContent).toContain('✓ potvrđeno');
  });

  it('reads another window when asked', async () => {
    rememberReason('releases', 'Priprema otpuštanja');
    const { calls } = renderSignedIn(<ReleasesPage />, {
      rules: [{ action: 'read', subject: 'Address' }],
      answer: (call) => (call.url.startsWith('/compliance/releases') ? page([]) : undefined),
    });
    await screen.findByText('Nema stavki.');
    fireEvent.change(screen.getByLabelText('Od'), { target: { value: '2027-01-01' } });
    fireEvent.change(screen.getByLabelText('Do'), { target: { value: '2027-02-01' } });
    fireEvent.click(screen.getByRole('button', { name: 'Prikaži' }));
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1].url).toContain('from=2027-01-01&to=2027-02-01');
  });

  it('speaks English when chosen', async () => {
    localStorage.setItem('register.language', 'en');
    rememberReason('releases', 'Release preparation');
    renderSignedIn(
      <I18nProvider>
        <ReleasesPage />
      </I18nProvider>,
      {
        rules: [{ action: 'read', subject: 'Address' }],
        answer: (call) => (call.url.startsWith('/compliance/releases') ? page([item('Petrović', false)]) : undefined),
      },
    );
    const row = await screen.findByTestId('release-row');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Releases');
    expect(row.textContent).toContain('still in custody');
    expect(within(row).getAllByTestId('ack-mark')[1].textContent).toBe('✗ NOT ACKNOWLEDGED');
  });
});

describe('a release on the person page', () => {
  it("shows custody and both releases, and records one with the conviction's version in If-Match", async () => {
    rememberReason('person:p1', 'KT 1/2026');
    onTab('convictions');
    let current = person();
    const { calls } = renderSignedIn(<PersonPage id="p1" />, {
      rules: CLERK_RULES,
      answer: (call) => {
        if (call.method === 'GET' && call.url === '/persons/p1') {
          return json(current, 200, { etag: `"${current.version}"` });
        }
        if (call.method === 'POST' && call.url === '/persons/p1/releases') {
          if ((call.body as { facility: string }).facility.trim() === '') {
            return json(
              {
                type: 'urn:register:problem:validation',
                title: 'Validation failed',
                status: 400,
                errors: [{ field: 'facility', message: 'facility must be 1 to 200 characters' }],
              },
              400,
            );
          }
          current = person({
            convictions: [{ ...person().convictions[0], releasedOn: '2026-12-01', releaseFacility: 'KPZ Niš' }],
          });
          return json(current.convictions[0], 201);
        }
        if (call.method === 'GET') return page([]);
        return undefined;
      },
    });
    const conviction = await screen.findByTestId('conviction');
    expect(conviction.textContent).toContain('Početak izdržavanja kazne1.\u00a03.\u00a02020.');
    expect(conviction.textContent).toContain('Očekivani otpust20.\u00a012.\u00a02026.');
    expect(within(conviction).getByTestId('actual-release').textContent).toBe('—');

    const form = within(conviction).getByTestId('release-form');
    fireEvent.change(within(form).getByLabelText('Prvi dan na slobodi'), { target: { value: '2026-12-01' } });
    // A stray space: the browser's "required" lets it through, the api refuses it beside the field.
    fireEvent.change(within(form).getByLabelText('Ustanova'), { target: { value: ' ' } });
    fireEvent.submit(form);
    // Beside the field, which says so and takes the focus; the summary on top names it as a link to it.
    const facility = within(form).getByLabelText('Ustanova');
    const message = await within(form).findByText('mora imati od 1 do 200 znakova');
    expect(facility.getAttribute('aria-invalid')).toBe('true');
    expect(facility.getAttribute('aria-describedby')).toBe(message.id);
    expect(document.activeElement).toBe(facility);
    const summary = within(form).getByRole('alert');
    expect(summary.textContent).toBe('Podaci nisu ispravni: Ispravite označena polja i pokušajte ponovo.Ustanova');
    expect(within(summary).getByRole('link', { name: 'Ustanova' }).getAttribute('href')).toBe(`#${facility.id}`);
    // Typing again takes the mark away.
    fireEvent.change(facility, { target: { value: 'KPZ' } });
    expect(facility.getAttribute('aria-invalid')).toBe(null);
    expect(within(form).queryByText('mora imati od 1 do 200 znakova')).toBeNull();

    fireEvent.change(within(form).getByLabelText('Ustanova'), { target: { value: 'KPZ Niš' } });
    fireEvent.submit(form);
    await waitFor(() =>
      expect(screen.getByTestId('actual-release').textContent).toBe('1.\u00a012.\u00a02026. · KPZ Niš'),
    );
    const post = calls.filter((c) => c.method === 'POST').at(-1)!;
    expect(post.headers['if-match']).toBe('"4"');
    expect(post.body).toEqual({ convictionId: 'c1', releasedOn: '2026-12-01', facility: 'KPZ Niš' });
  });

  it('offers no release form to a reader without the right to change convictions', async () => {
    rememberReason('person:p1', 'KT 1/2026');
    onTab('convictions');
    renderSignedIn(<PersonPage id="p1" />, {
      role: 'police_officer',
      rules: [{ action: 'read', subject: ['Person', 'Conviction', 'Measure', 'Compliance', 'Acknowledgement'] }],
      answer: (call) =>
        call.url === '/persons/p1'
          ? json(person(), 200, { etag: '"7"' })
          : call.method === 'GET'
            ? page([])
            : undefined,
    });
    const conviction = await screen.findByTestId('conviction');
    expect(within(conviction).queryByTestId('release-form')).toBeNull();
    fireEvent.click(screen.getByRole('tab', { name: 'Mere i poštovanje' }));
    await screen.findByTestId('measures');
    expect(screen.queryByTestId('acknowledgement-form')).toBeNull();
  });
});
