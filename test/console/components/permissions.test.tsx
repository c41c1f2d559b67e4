import { AbilityBuilder, createMongoAbility } from '@casl/ability';
import { packRules } from '@casl/ability/extra';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../../apps/console/src/api/client';
import { type Me, SessionProvider, sessionOf } from '../../../apps/console/src/auth/session';
import { Layout } from '../../../apps/console/src/components/layout';

/** Packed rules as `GET /auth/me` sends them (the same shapes as the api's ability factory). */
function me(role: Me['role'], define: (can: AbilityBuilder<ReturnType<typeof createMongoAbility>>['can']) => void): Me {
  const { can, build } = new AbilityBuilder(createMongoAbility);
  define(can);
  return {
    id: 'u1',
    username: 'u',
    displayName: 'Test',
    role,
    organisation: 'MUP',
    region: role === 'police_officer' ? 'PU-BEOGRAD' : null,
    office: null,
    email: null,
    mfaEnrolled: false,
    permissions: packRules(build().rules),
  };
}

function renderAs(user: Me) {
  render(
    <SessionProvider value={sessionOf(new ApiClient(), user, () => undefined)}>
      <Layout>
        <p>content</p>
      </Layout>
    </SessionProvider>,
  );
  return within(screen.getByRole('navigation'))
    .getAllByRole('link')
    .map((link) => link.textContent);
}

describe('what the packed rules forbid is hidden', () => {
  it('shows an officer the persons, the releases, the proximity list, the lookup and the inbox, not recording or audit', () => {
    const links = renderAs(
      me('police_officer', (can) => {
        can('read', 'Person', { regions: 'PU-BEOGRAD' });
        can('read', 'Address', { regions: 'PU-BEOGRAD' });
        can('lookup', 'PersonLookup');
        can('read', 'Inbox');
      }),
    );
    expect(links).toEqual([
      'Početna',
      'Lica',
      'Otpuštanja',
      'Blizina mesta sa maloletnicima',
      'Provera u drugim regionima',
      'Prijemno sanduče',
    ]);
  });

  it('shows a clerk recording, an auditor only the audit', () => {
    expect(
      renderAs(
        me('registry_clerk', (can) => {
          can(['create', 'read', 'update'], ['Person']);
          can('read', 'Inbox');
        }),
      ),
    ).toEqual(['Početna', 'Lica', 'Novo lice', 'Prijemno sanduče']);
  });

  it('shows an auditor only the audit', () => {
    expect(renderAs(me('auditor', (can) => can(['read', 'verify', 'export'], 'AuditEvent')))).toEqual([
      'Početna',
      'Revizija',
    ]);
  });
});
