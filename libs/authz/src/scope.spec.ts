import { AbilityFactory } from './ability.factory';
import { positional } from '@app/common';
import { scopeSql } from './scope';

describe('scopeSql', () => {
  const factory = new AbilityFactory();
  const officer = factory.createForPrincipal({ role: 'police_officer', region: 'PU-NIS' });

  it('scopes an officer to persons of the region, on the bound alias', () => {
    expect(scopeSql(officer, 'read', 'Person', { person: 'p' })).toEqual({
      sql: ':scope_0 = ANY(p.regions)',
      params: { scope_0: 'PU-NIS' },
    });
  });

  it('lets a judicial officer read every region', () => {
    const ability = factory.createForPrincipal({ role: 'judicial_officer', region: null });
    expect(scopeSql(ability, 'read', 'Person', { person: 'p' })).toEqual({ sql: 'TRUE', params: {} });
  });

  it('fails closed for a role with no rule: auditors and admins see no persons', () => {
    for (const role of ['auditor', 'admin'] as const) {
      const ability = factory.createForPrincipal({ role, region: null });
      expect(scopeSql(ability, 'read', 'Person', { person: 'p' })).toEqual({ sql: 'FALSE', params: {} });
    }
  });

  it('uses the real action: an officer may record an address but correct none', () => {
    expect(scopeSql(officer, 'update', 'Address', { person: 'p', row: 'a' }).sql).toBe('FALSE');
  });

  it('compares the values of a record not written yet as parameters', () => {
    const scope = scopeSql(officer, 'record', 'Address', {
      person: 'p',
      arrival: 'a',
      values: { policeAdministration: 'PU-BOR' },
    });
    // In the region, or the new address in the region for a person announced as arriving there.
    expect(scope).toEqual({
      sql: '((:scope_0::text = :scope_1 AND a.police_administration = :scope_2) OR :scope_3 = ANY(p.regions))',
      params: { scope_0: 'PU-BOR', scope_1: 'PU-NIS', scope_2: 'PU-NIS', scope_3: 'PU-NIS' },
    });
  });

  it('refuses to widen the scope when the statement binds nothing for a field', () => {
    expect(() => scopeSql(officer, 'read', 'Person', {})).toThrow('the statement binds no person for Person.regions');
    expect(() => scopeSql(officer, 'record', 'Address', { person: 'p' })).toThrow(
      'the statement binds no row for Address.policeAdministration',
    );
  });

  it('refuses a rule on a field with no column', () => {
    const widened = AbilityFactory.withRules(({ can }) => {
      // A field the typed rules would refuse, as a mistaken rule might still name it.
      can('read', 'Person', { region: 'PU-NIS' } as never);
    }).createForPrincipal({ role: 'auditor', region: null });
    expect(() => scopeSql(widened, 'read', 'Person', { person: 'p' })).toThrow(
      'the rules name a field with no column: Person.region',
    );
  });

  it('scopes a clerk of a UIKS office to the persons and alerts it serves; a clerk without one to none', () => {
    const clerk = factory.createForPrincipal({ role: 'registry_clerk', region: null, office: 'UIKS-NIS' });
    expect(scopeSql(clerk, 'read', 'Person', { person: 'p' })).toEqual({
      sql: ':scope_0 = ANY(offices_serving(p.regions))',
      params: { scope_0: 'UIKS-NIS' },
    });
    expect(scopeSql(clerk, 'create', 'Person', { values: { regions: [] } })).toEqual({ sql: 'TRUE', params: {} });
    // The first address of a person: where the office serves, or a person it serves already.
    expect(scopeSql(clerk, 'record', 'Address', { person: 'p', values: { policeAdministration: 'PU-NIS' } })).toEqual({
      sql: '(:scope_1 = ANY(offices_serving(ARRAY[:scope_0::text]::text[])) OR :scope_2 = ANY(offices_serving(p.regions)))',
      params: { scope_0: 'PU-NIS', scope_1: 'UIKS-NIS', scope_2: 'UIKS-NIS' },
    });
    expect(scopeSql(clerk, 'work', 'Alert', { row: 'a' })).toEqual({
      sql: '(:scope_0 = ANY(offices_serving(ARRAY[a.police_administration]::text[])) OR a.office = :scope_1)',
      params: { scope_0: 'UIKS-NIS', scope_1: 'UIKS-NIS' },
    });
    const national = factory.createForPrincipal({ role: 'registry_clerk', region: null, office: null });
    expect(scopeSql(national, 'read', 'Person', { person: 'p' })).toEqual({ sql: 'TRUE', params: {} });
    expect(scopeSql(national, 'work', 'Alert', { row: 'a' })).toEqual({ sql: 'TRUE', params: {} });
  });

  it('numbers positional parameters after the statement’s own', () => {
    expect(positional(scopeSql(officer, 'read', 'Person', { person: 'p' }), 2)).toEqual({
      sql: '$3 = ANY(p.regions)',
      params: ['PU-NIS'],
    });
  });
});
