import { subject } from '@casl/ability';
import { AbilityFactory } from './ability.factory';
import { ROLES } from './roles';

describe('AbilityFactory', () => {
  const factory = new AbilityFactory();

  it('lets only the admin manage users', () => {
    for (const role of ROLES) {
      const ability = factory.createForPrincipal({ role, region: role === 'police_officer' ? 'PU-NIS' : null });
      expect([role, ability.can('manage', 'User')]).toEqual([role, role === 'admin']);
    }
  });

  it('limits an officer to persons of the region', () => {
    const ability = factory.createForPrincipal({ role: 'police_officer', region: 'PU-NIS' });
    expect(ability.can('read', subject('Person', { regions: ['PU-NIS', 'PU-PIROT'] }))).toBe(true);
    expect(ability.can('read', subject('Person', { regions: ['PU-BEOGRAD'] }))).toBe(false);
    expect(ability.can('read', 'DnaReference')).toBe(false);
    expect(ability.can('lookup', 'PersonLookup')).toBe(true);
  });

  it('gives the auditor the audit log and nothing of the register', () => {
    const ability = factory.createForPrincipal({ role: 'auditor', region: null });
    expect(ability.can('read', 'AuditEvent')).toBe(true);
    expect(ability.can('read', 'Person')).toBe(false);
    expect(ability.can('manage', 'User')).toBe(false);
  });

  it('builds one ability per role and region', () => {
    const a = factory.createForPrincipal({ role: 'police_officer', region: 'PU-NIS' });
    expect(factory.createForPrincipal({ role: 'police_officer', region: 'PU-NIS' })).toBe(a);
    expect(factory.createForPrincipal({ role: 'police_officer', region: 'PU-BOR' })).not.toBe(a);
  });

  it('packs the rules for clients', () => {
    expect(factory.packedRules({ role: 'admin', region: null })).toEqual([['manage', 'User']]);
  });
});
