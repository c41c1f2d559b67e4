import { AbilityBuilder, createMongoAbility, type MongoAbility, type RawRuleOf } from '@casl/ability';
import { packRules } from '@casl/ability/extra';
import { Injectable } from '@nestjs/common';
import type { PrincipalReach } from './principal';
import type { Role } from './roles';
import type { Action, Subject, SubjectRecord } from './subjects';

export type AppAbility = MongoAbility<[Action, Subject | SubjectRecord]>;

/** The rules of one role in one region (officers) or UIKS office (clerks), added to `builder`. */
export type RoleRules = (
  builder: AbilityBuilder<AppAbility>,
  role: Role,
  region: string | null,
  office: string | null,
) => void;

/**
 * The role table of the contract, as CASL rules: one place for route checks,
 * the checks of each record (put into the SQL that reaches it, see
 * RecordAccess), field visibility and list scoping. What is not granted here
 * is refused. Conditions name only the fields of SubjectFields.
 */
export const ROLE_RULES: RoleRules = ({ can }, role, region, office) => {
  switch (role) {
    case 'admin':
      can('manage', 'User');
      can('manage', 'Reference');
      can('manage', 'Place');
      break;
    case 'registry_clerk': {
      // A clerk of a UIKS office: the same actions, on the persons the office serves (an address, or
      // active reporting, in an administration it serves); a clerk without one reaches every person.
      const served = office ? { offices: office } : undefined;
      can('create', 'Person');
      can(['read', 'update'], 'Person', served);
      can(['create', 'read', 'update'], ['Conviction', 'Measure', 'DnaReference'], served);
      can(['read', 'record', 'update'], ['Address', 'Workplace'], served);
      // Breaches and counselling attendances are corrected, or voided when recorded by mistake, as check-ins.
      can(['read', 'record', 'update', 'void'], ['Breach', 'Counselling'], served);
      // The first address of a new person (in no administration yet) may lie where the office serves.
      if (office) can('record', 'Address', { servedBy: office, unplaced: true });
      can(['read', 'record', 'void'], ['CheckIn', 'Notification'], served);
      can(['create', 'read', 'update', 'void'], 'Acknowledgement', served);
      // Data sent abroad (issue #17): the clerk who sends it records it, and may hand out the package again.
      can(['create', 'read', 'export'], 'Disclosure', served);
      // Clerks create all register data: an address check reported to them, and voiding a mistaken one.
      can(['read', 'record', 'void'], 'AddressCheck', served);
      // Referrals to the prosecutor as other enforcement acts; only a clerk corrects a recorded outcome.
      can(['read', 'record', 'update', 'void'], 'Referral', served);
      can(['read', 'update'], 'PhysicalDescription', served);
      can('read', ['Compliance', 'PersonHistory', 'Photo'], served);
      // The case file for a prosecutor: a disclosure of the person's whole record of the measures.
      can('export', 'CaseFile', served);
      can(['create', 'read'], 'Arrival', served);
      // Alerts raised for the office, or for an administration it serves.
      if (office) {
        can(['read', 'work'], 'Alert', { office });
        can(['read', 'work'], 'Alert', { servedBy: office });
      } else can(['read', 'work'], 'Alert');
      can('read', 'Inbox');
      can('read', ['Reference', 'Place']);
      // Figures, not persons: national for every clerk (management's report is theirs to prepare).
      can(['read', 'export'], 'Statistics');
      break;
    }
    case 'police_officer':
      if (!region) break;
      // "In the region": one of the person's current addresses, or an active measure's reportTo.
      can('read', 'Person', { regions: region });
      can('read', 'Photo', { regions: region });
      can('read', ['Conviction', 'Measure', 'Compliance'], { regions: region });
      // The duties the person acknowledged go with the measures (and the signed form with them).
      can('read', 'Acknowledgement', { regions: region });
      // Addresses of persons in the region, and the new address in the region of a person announced as
      // arriving there (by a clerk or the region the person is in).
      can('read', 'Address', { regions: region });
      can('record', 'Address', { regions: region });
      can('record', 'Address', { policeAdministration: region, arrivingTo: region });
      // Announcing an arrival elsewhere is the consent of the administration responsible for the person.
      can('read', 'Arrival', { regions: region });
      can('create', 'Arrival', { responsibleAdministration: region });
      can(['read', 'record'], 'Workplace', { regions: region });
      can(['read', 'record'], ['CheckIn', 'Notification', 'Breach', 'Counselling'], { regions: region });
      // A person's address checks are read where the person is; an address is checked by the police of
      // the administration it lies in (not merely of one the person is in).
      can('read', 'AddressCheck', { regions: region });
      can('record', 'AddressCheck', { policeAdministration: region });
      // A referral to the prosecutor, and its outcome once known, by the police of the person's region.
      can(['read', 'record'], 'Referral', { regions: region });
      can(['read', 'work'], 'Alert', { policeAdministration: region });
      can('read', 'Inbox');
      can('lookup', 'PersonLookup');
      can('read', ['Reference', 'Place']);
      // The figures of the persons in the region (as of the day asked); the national report is not theirs.
      can('read', 'Statistics', { regions: region });
      break;
    case 'judicial_officer':
      // The contract's table: persons, convictions, measures and compliance, in every region; not the
      // records of carrying out the measures (check-ins, notices, breaches, counselling), nor the
      // histories of addresses and workplaces, nor photos beyond the person's view.
      can('read', ['Person', 'Conviction', 'Measure', 'Compliance']);
      // Whether, when and by whom the measures' duties were explained belongs with the measures.
      can('read', 'Acknowledgement');
      // The case file (#16): the evidence of how the measures were carried out, check-ins and breaches
      // included, issued to a named prosecutor's office as a recorded disclosure.
      can('export', 'CaseFile');
      can('read', ['Reference', 'Place']);
      can(['read', 'export'], 'Statistics');
      break;
    case 'auditor':
      can(['read', 'review', 'verify', 'export'], 'AuditEvent');
      // Who sent what kind of data abroad, to whom: the record of each disclosure, never the package.
      can('read', 'Disclosure');
      can('read', 'Reference');
      // How many vetting requests each employer made per day: fishing shows, no candidate does.
      can('read', 'VettingVolume');
      // Counts only: how the register is used (vetting requests and disclosures among them).
      can(['read', 'export'], 'Statistics');
      break;
    case 'vetting_officer':
      // Answers employers (barred or not, with a certificate) and nothing else: no person, no reference data.
      can(['create', 'read'], 'VettingRequest');
      break;
  }
};

@Injectable()
export class AbilityFactory {
  private readonly cache = new Map<string, AppAbility>();

  private rules: RoleRules = ROLE_RULES;

  /** A factory with `extra` rules on top of the role table: for tests only, never provided to the apps. */
  static withRules(extra: RoleRules): AbilityFactory {
    const factory = new AbilityFactory();
    factory.rules = (builder, role, region, office) => {
      ROLE_RULES(builder, role, region, office);
      extra(builder, role, region, office);
    };
    return factory;
  }

  createForPrincipal(principal: PrincipalReach): AppAbility {
    const office = principal.role === 'registry_clerk' ? (principal.office ?? null) : null;
    const key = `${principal.role}:${principal.region ?? ''}:${office ?? ''}`;
    let ability = this.cache.get(key);
    if (!ability) {
      const builder = new AbilityBuilder<AppAbility>(createMongoAbility);
      this.rules(builder, principal.role, principal.region, office);
      ability = builder.build();
      this.cache.set(key, ability);
    }
    return ability;
  }

  /** The rules in CASL's packed form, for clients (`GET /auth/me`). */
  packedRules(principal: PrincipalReach): unknown[] {
    return packRules(this.createForPrincipal(principal).rules as RawRuleOf<AppAbility>[]);
  }
}
