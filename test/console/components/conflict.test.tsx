import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../../../apps/console/src/api/client';
import { TokenStore } from '../../../apps/console/src/api/tokens';
import { type Me, SessionProvider, sessionOf } from '../../../apps/console/src/auth/session';
import { rememberReason } from '../../../apps/console/src/components/reason';
import { diffVersions } from '../../../apps/console/src/diff';
import { EditPerson } from '../../../apps/console/src/views/person';

describe('a conflicting edit (412)', () => {
  it('diffs the version edited, the edit and the current version', () => {
    const diffs = diffVersions(
      { surname: 'Petrović', placeOfBirth: 'Niš', aliases: 'Pera' },
      { surname: 'Petrović', placeOfBirth: 'Beograd', aliases: 'Pera' },
      { surname: 'Petrovič', placeOfBirth: 'Niš', aliases: 'Pera' },
    );
    expect(diffs).toEqual([
      {
        field: 'surname',
        base: 'Petrović',
        mine: 'Petrović',
        theirs: 'Petrovič',
        changedByOthers: true,
        changedByMe: false,
      },
      { field: 'placeOfBirth', base: 'Niš', mine: 'Beograd', theirs: 'Niš', changedByOthers: false, changedByMe: true },
    ]);
  });

  it('re-reads the person after 412 and shows what changed', async () => {
    const person = (version: number, placeOfBirth: string) => ({
      id: 'p1',
      surname: 'Petrović',
      givenNames: 'Petar',
      parentNames: null,
      jmbg: '0101990360007',
      identityDocument: null,
      dateOfBirth: '1990-01-01',
      placeOfBirth,
      sex: 'M',
      citizenship: 'RS',
      aliases: [],
      version,
    });
    const reads = [person(3, 'Niš'), person(4, 'Kragujevac')];
    const fetcher = vi.fn(async (url: string, init: RequestInit) => {
      if (init.method === 'PATCH') {
        expect((init.headers as Record<string, string>)['if-match']).toBe('"3"');
        return new Response(
          JSON.stringify({ type: 'urn:register:problem:version_mismatch', title: 'Version mismatch', status: 412 }),
          { status: 412 },
        );
      }
      const body = reads.shift() ?? person(4, 'Kragujevac');
      return new Response(JSON.stringify(body), { status: 200, headers: { etag: `"${body.version}"` } });
    });
    const tokens = new TokenStore(localStorage, undefined);
    tokens.save({ accessToken: 'a', refreshToken: 'r', tokenType: 'Bearer', expiresIn: 900 }, 'demo.clerk');
    const api = new ApiClient(tokens, fetcher as unknown as typeof fetch);
    const me = { role: 'registry_clerk', permissions: [] } as unknown as Me;
    rememberReason('person:p1', 'KT 1/2026');
    render(
      <SessionProvider value={sessionOf(api, me, () => undefined)}>
        <EditPerson id="p1" />
      </SessionProvider>,
    );
    const place = await screen.findByLabelText('Mesto rođenja');
    fireEvent.change(place, { target: { value: 'Beograd' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sačuvaj' }));
    const table = await screen.findByTestId('conflict-diff');
    await waitFor(() => expect(table.textContent).toContain('Kragujevac'));
    expect(table.textContent).toContain('placeOfBirth');
    expect(table.textContent).toContain('Beograd');
    expect(table.textContent).toContain('Niš');
  });

  it("applies again over the current version: the user's fields, the other change kept", async () => {
    const person = (version: number, givenNames: string, placeOfBirth: string) => ({
      id: 'p1',
      surname: 'Petrović',
      givenNames,
      parentNames: null,
      jmbg: '0101990360007',
      identityDocument: null,
      dateOfBirth: '1990-01-01',
      placeOfBirth,
      sex: 'M',
      citizenship: 'RS',
      aliases: [],
      version,
    });
    const reads = [person(3, 'Petar', 'Niš'), person(4, 'Petar Pera', 'Niš')];
    const patches: { ifMatch: string; body: Record<string, unknown> }[] = [];
    const fetcher = vi.fn(async (_url: string, init: RequestInit) => {
      if (init.method === 'PATCH') {
        const ifMatch = (init.headers as Record<string, string>)['if-match'];
        patches.push({ ifMatch, body: JSON.parse(String(init.body)) });
        if (ifMatch === '"3"') {
          return new Response(
            JSON.stringify({ type: 'urn:register:problem:version_mismatch', title: 'Version mismatch', status: 412 }),
            { status: 412 },
          );
        }
        return new Response(JSON.stringify(person(5, 'Petar Pera', 'Beograd')), { status: 200 });
      }
      const body = reads.shift() ?? person(4, 'Petar Pera', 'Niš');
      return new Response(JSON.stringify(body), { status: 200, headers: { etag: `"${body.version}"` } });
    });
    const tokens = new TokenStore(localStorage, undefined);
    tokens.save({ accessToken: 'a', refreshToken: 'r', tokenType: 'Bearer', expiresIn: 900 }, 'demo.clerk');
    const api = new ApiClient(tokens, fetcher as unknown as typeof fetch);
    rememberReason('person:p1', 'KT 1/2026');
    render(
      <SessionProvider
        value={sessionOf(api, { role: 'registry_clerk', permissions: [] } as unknown as Me, () => undefined)}
      >
        <EditPerson id="p1" />
      </SessionProvider>,
    );
    fireEvent.change(await screen.findByLabelText('Mesto rođenja'), { target: { value: 'Beograd' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sačuvaj' }));
    await screen.findByTestId('conflict-diff');
    fireEvent.click(screen.getByRole('button', { name: /Primeni moje izmene/ }));
    await waitFor(() => expect(patches).toHaveLength(2));
    expect(patches[1].ifMatch).toBe('"4"');
    expect(patches[1].body).toMatchObject({ givenNames: 'Petar Pera', placeOfBirth: 'Beograd' });
  });
});
