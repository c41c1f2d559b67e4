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
    expect(ability.can('read', subject('Person', { regions: ['PU-NIS', 'PU-PIROT'], offices: ['UIKS-NIS'] }))).toBe(
      true,
    );
    expect(ability.can('read', subject('Person', { regions: ['PU-BEOGRAD'], offices: ['UIKS-BEOGRAD'] }))).toBe(false);
    expect(ability.can('read', 'DnaReference')).toBe(false);
    expect(ability.can('lookup', 'PersonLookup')).toBe(true);
  });

  it('gives the auditor the audit log and nothing of the register', () => {
    const ability = factory.createForPrincipal({ role: 'auditor', region: null });
    expect(ability.can('read', 'AuditEvent')).toBe(true);
    expect(ability.can('read', 'Person')).toBe(false);
    expect(ability.can('manage', 'User')).toBe(false);
  });

  it('limits a clerk of a UIKS office to the persons it serves; a clerk without one reaches everyone', () => {
    const clerk = factory.createForPrincipal({ role: 'registry_clerk', region: null, office: 'UIKS-NIS' });
    const served = subject('Person', { regions: ['PU-NIS'], offices: ['UIKS-NIS'] });
    const elsewhere = subject('Measure', { regions: ['PU-BEOGRAD'], offices: ['UIKS-BEOGRAD'] });
    expect([clerk.can('read', served), clerk.can('update', elsewhere), clerk.can('create', 'Person')]).toEqual([
      true,
      false,
      true,
    ]);
    expect(clerk.can('work', subject('Alert', { policeAdministration: null, office: 'UIKS-NIS', servedBy: [] }))).toBe(
      true,
    );
    const national = factory.createForPrincipal({ role: 'registry_clerk', region: null, office: null });
    expect(national.can('update', elsewhere)).toBe(true);
    expect(national.rules).toEqual(factory.createForPrincipal({ role: 'registry_clerk', region: null }).rules);
    // An office means nothing for another role.
    expect(factory.createForPrincipal({ role: 'judicial_officer', region: null, office: 'UIKS-NIS' })).toBe(
      factory.createForPrincipal({ role: 'judicial_officer', region: null }),
    );
  });

  it('lets the admin manage the reference data and every role but the vetting officer read it', () => {
    for (const role of ROLES) {
      const ability = factory.createForPrincipal({ role, region: role === 'police_officer' ? 'PU-NIS' : null });
      expect([role, ability.can('manage', 'Reference'), ability.can('read', 'Reference')]).toEqual([
        role,
        role === 'admin',
        role !== 'vetting_officer',
      ]);
    }
  });

  it('lets the admin manage the places where minors gather and the readers of the register read them', () => {
    for (const role of ROLES) {
      const ability = factory.createForPrincipal({ role, region: role === 'police_officer' ? 'PU-NIS' : null });
      expect([role, ability.can('manage', 'Place'), ability.can('read', 'Place')]).toEqual([
        role,
        role === 'admin',
        role !== 'auditor' && role !== 'vetting_officer',
      ]);
    }
  });

  it('gives the vetting officer vetting requests and nothing else; auditors the vetting volume', () => {
    const officer = factory.createForPrincipal({ role: 'vetting_officer', region: null });
    expect(officer.rules).toEqual([{ action: ['create', 'read'], subject: 'VettingRequest' }]);
    for (const role of ROLES) {
      const ability = factory.createForPrincipal({ role, region: role === 'police_officer' ? 'PU-NIS' : null });
      expect([role, ability.can('create', 'VettingRequest'), ability.can('read', 'VettingVolume')]).toEqual([
        role,
        role === 'vetting_officer',
        role === 'auditor',
      ]);
    }
  });

  it('lets clerks send a person abroad and hand out the package, and auditors read only the records', () => {
    for (const role of ROLES) {
      const ability = factory.createForPrincipal({ role, region: role === 'police_officer' ? 'PU-NIS' : null });
      expect([
        role,
        ability.can('create', 'Disclosure'),
        ability.can('read', 'Disclosure'),
        ability.can('export', 'Disclosure'),
      ]).toEqual([
        role,
        role === 'registry_clerk',
        role === 'registry_clerk' || role === 'auditor',
        role === 'registry_clerk',
      ]);
    }
    const clerk = factory.createForPrincipal({ role: 'registry_clerk', region: null, office: 'UIKS-NIS' });
    expect(clerk.can('create', subject('Disclosure', { regions: ['PU-BEOGRAD'], offices: ['UIKS-BEOGRAD'] }))).toBe(
      false,
    );
  });

  it('builds one ability per role and region', () => {
    const a = factory.createForPrincipal({ role: 'police_officer', region: 'PU-NIS' });
    expect(factory.createForPrincipal({ role: 'police_officer', region: 'PU-NIS' })).toBe(a);
    expect(factory.createForPrincipal({ role: 'police_officer', region: 'PU-BOR' })).not.toBe(a);
  });

  it('packs the rules for clients', () => {
    expect(factory.packedRules({ role: 'admin', region: null })).toEqual([
      ['manage', 'User'],
      ['manage', 'Reference'],
      ['manage', 'Place'],
    ]);
  });
});
