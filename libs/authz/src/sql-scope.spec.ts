import { AbilityFactory } from './ability.factory';
import { sqlScope } from './sql-scope';

describe('sqlScope', () => {
  const factory = new AbilityFactory();
  const columns = { regions: { sql: 'p.regions', array: true } };

  it('scopes an officer to persons of the region', () => {
    const ability = factory.createForPrincipal({ role: 'police_officer', region: 'PU-NIS' });
    expect(sqlScope(ability, 'read', 'Person', columns)).toEqual({
      sql: ':scope_0 = ANY(p.regions)',
      params: { scope_0: 'PU-NIS' },
    });
  });

  it('lets a judicial officer read every region', () => {
    const ability = factory.createForPrincipal({ role: 'judicial_officer', region: null });
    expect(sqlScope(ability, 'read', 'Person', columns)).toEqual({ sql: 'TRUE', params: {} });
  });

  it('fails closed for a role with no rule: auditors and admins see no persons', () => {
    for (const role of ['auditor', 'admin'] as const) {
      const ability = factory.createForPrincipal({ role, region: null });
      expect(sqlScope(ability, 'read', 'Person', columns)).toEqual({ sql: 'FALSE', params: {} });
    }
  });

  it('refuses to widen the scope when a rule names a field without a column', () => {
    const ability = factory.createForPrincipal({ role: 'police_officer', region: 'PU-NIS' });
    expect(() => sqlScope(ability, 'read', 'Person', {})).toThrow('the rules name a field with no column: regions');
  });
});
