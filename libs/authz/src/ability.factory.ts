import { AbilityBuilder, createMongoAbility, type MongoAbility, type RawRuleOf } from '@casl/ability';
import { packRules } from '@casl/ability/extra';
import { Injectable } from '@nestjs/common';
import type { Principal } from './principal';
import type { Role } from './roles';

export type Action =
  'manage' | 'create' | 'read' | 'update' | 'lookup' | 'record' | 'work' | 'review' | 'verify' | 'export';

export type Subject =
  | 'User'
  | 'Person'
  | 'PersonLookup'
  | 'PersonHistory'
  | 'Address'
  | 'PhysicalDescription'
  | 'Workplace'
  | 'DnaReference'
  | 'Conviction'
  | 'Measure'
  | 'CheckIn'
  | 'Notification'
  | 'Breach'
  | 'Counselling'
  | 'Inbox'
  | 'Compliance'
  | 'Alert'
  | 'AuditEvent'
  | 'all';

export type AppAbility = MongoAbility<[Action, Subject | Record<string, unknown>]>;

/**
 * The role table of the contract, as CASL rules: one place for route checks,
 * instance checks, field visibility and (later) SQL scoping. What is not
 * granted here is refused.
 */
@Injectable()
export class AbilityFactory {
  private readonly cache = new Map<string, AppAbility>();

  createForPrincipal(principal: Pick<Principal, 'role' | 'region'>): AppAbility {
    const key = `${principal.role}:${principal.region ?? ''}`;
    let ability = this.cache.get(key);
    if (!ability) {
      ability = buildAbility(principal.role, principal.region);
      this.cache.set(key, ability);
    }
    return ability;
  }

  /** The rules in CASL's packed form, for clients (`GET /auth/me`). */
  packedRules(principal: Pick<Principal, 'role' | 'region'>): unknown[] {
    return packRules(this.createForPrincipal(principal).rules as RawRuleOf<AppAbility>[]);
  }
}

function buildAbility(role: Role, region: string | null): AppAbility {
  const { can, build } = new AbilityBuilder<AppAbility>(createMongoAbility);
  switch (role) {
    case 'admin':
      can('manage', 'User');
      break;
    case 'registry_clerk':
      can(['create', 'read', 'update'], ['Person', 'Conviction', 'Measure', 'DnaReference']);
      can(['read', 'record', 'update'], ['Address', 'Workplace', 'CheckIn', 'Notification', 'Breach', 'Counselling']);
      can(['read', 'update'], 'PhysicalDescription');
      can('read', ['Compliance', 'Alert', 'PersonHistory']);
      can('work', 'Alert');
      can('read', 'Inbox');
      break;
    case 'police_officer':
      // "In the region": one of the person's current addresses, or an active measure's reportTo.
      can('read', 'Person', { regions: region });
      can('read', ['Conviction', 'Measure', 'Compliance'], { regions: region });
      // Addresses of persons in the region, and an arriving person's new address in the region.
      can('read', 'Address', { personRegions: region });
      can('record', 'Address', { personRegions: region });
      can('record', 'Address', { policeAdministration: region });
      can(['read', 'record'], 'Workplace', { personRegions: region });
      can(['read', 'record'], ['CheckIn', 'Notification', 'Breach', 'Counselling'], { regions: region });
      can(['read', 'work'], 'Alert', { policeAdministration: region });
      can('read', 'Inbox');
      can('lookup', 'PersonLookup');
      break;
    case 'judicial_officer':
      can('read', ['Person', 'Conviction', 'Measure', 'Compliance', 'Address', 'Workplace']);
      can('read', ['CheckIn', 'Notification', 'Breach', 'Counselling']);
      break;
    case 'auditor':
      can(['read', 'review', 'verify', 'export'], 'AuditEvent');
      break;
  }
  return build();
}
