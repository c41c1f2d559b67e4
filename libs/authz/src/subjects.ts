import type { ForcedSubject } from '@casl/ability';

export type Action =
  'manage' | 'create' | 'read' | 'update' | 'void' | 'lookup' | 'record' | 'work' | 'review' | 'verify' | 'export';

/**
 * The fields the rules' conditions may name, per subject: a rule naming any
 * other field is a type error. A person-owned subject is "in" the regions of
 * its person (`regions`); an address also has the administration it lies in,
 * an alert the administration it was raised for.
 */
export interface SubjectFields {
  Person: PersonFields;
  PersonHistory: PersonFields;
  /**
   * `policeAdministration`: the address's; `arrivingTo`: the administration
   * of an open arrival announcement of the person matching it (none: null);
   * `servedBy`: the UIKS offices serving the address's administration;
   * `unplaced`: the person is in no administration yet (a new person).
   */
  Address: PersonFields & {
    policeAdministration: string;
    arrivingTo: string | null;
    servedBy: string[];
    unplaced: boolean;
  };
  /** `responsibleAdministration`: the administration responsible for the person now (null: none). */
  Arrival: PersonFields & { responsibleAdministration: string | null };
  PhysicalDescription: PersonFields;
  Workplace: PersonFields;
  DnaReference: PersonFields;
  Photo: PersonFields;
  Conviction: PersonFields;
  Measure: PersonFields;
  CheckIn: PersonFields;
  Notification: PersonFields;
  Breach: PersonFields;
  Counselling: PersonFields;
  /** The person's signed acknowledgements of their measures' duties (and the scanned forms). */
  Acknowledgement: PersonFields;
  /**
   * Data on the person sent abroad: `read` is the record (who, to whom, when; auditors read it without the
   * person's data), `export` the package that was sent.
   */
  Disclosure: PersonFields;
  /** `policeAdministration`: the administration of the address checked (police check addresses there). */
  AddressCheck: PersonFields & { policeAdministration: string };
  /** Referrals of the person's breaches and alerts to the public prosecutor, and their outcomes. */
  Referral: PersonFields;
  Compliance: PersonFields;
  /**
   * Figures of the register (counts, never persons): `read` the figures of the persons within reach (their
   * regions as of the day asked), `export` the yearly report (national, small cells suppressed).
   */
  Statistics: PersonFields;
  /** The evidence about one person issued to a prosecutor (a disclosure: the action is `export`). */
  CaseFile: PersonFields;
  /** `office`: the UIKS office it was raised for; `servedBy`: the offices serving its administration. */
  Alert: { policeAdministration: string | null; office: string | null; servedBy: string[] };
}

interface PersonFields {
  /** The police administrations the person is in (current addresses, active reporting). */
  regions: string[];
  /** The active UIKS offices serving any of those administrations. */
  offices: string[];
}

/** Subjects whose rules may carry conditions: checked on each record, in the SQL that reaches it. */
export type ScopedSubject = keyof SubjectFields;

/** Subjects granted or refused as a whole. */
/**
 * `Place`: the places where minors gather (reference data read by those who read the register).
 * `VettingRequest`: an employer's vetting request and its certificate; `VettingVolume`: how many
 * requests each employer made per day (the auditors' view, no candidate in it).
 */
export type PlainSubject =
  'User' | 'Reference' | 'Place' | 'PersonLookup' | 'Inbox' | 'AuditEvent' | 'VettingRequest' | 'VettingVolume' | 'all';

export type Subject = ScopedSubject | PlainSubject;

/** A record of a scoped subject, as CASL matches it against conditions. */
export type SubjectRecord = { [S in ScopedSubject]: ForcedSubject<S> & SubjectFields[S] }[ScopedSubject];

/**
 * Where a condition's field lives in SQL: a column of the person (`person`),
 * of the record itself (`row`), or of the person's open arrival announcement
 * for the record's administration (`arrival`).
 */
export interface ScopeColumn {
  on: 'person' | 'row' | 'arrival';
  /** The column of the bound alias. */
  column: string;
  /** Instead of a column: an expression over the bound alias (a value derived from the row). */
  sql?: (alias: string) => string;
  /** An array column: the condition's value must be one of its elements. */
  array?: boolean;
  /**
   * Derived from another field of the subject: `sql` applied to that field's
   * operand (its column, or its value for a record not written yet).
   */
  over?: { field: string; sql: (operand: string) => string };
}

const PERSON_REGIONS: ScopeColumn = { on: 'person', column: 'regions', array: true };
/** offices_serving (migration ReferenceData): the active UIKS offices serving any of the administrations. */
const PERSON_OFFICES: ScopeColumn = {
  on: 'person',
  column: 'regions',
  sql: (person) => `offices_serving(${person}.regions)`,
  array: true,
};
const PERSON_SCOPED = { regions: PERSON_REGIONS, offices: PERSON_OFFICES };
const SERVING_ADMINISTRATION: ScopeColumn = {
  on: 'row',
  column: 'police_administration',
  array: true,
  over: { field: 'policeAdministration', sql: (administration) => `offices_serving(ARRAY[${administration}]::text[])` },
};

/**
 * Every field of every scoped subject, mapped to SQL once. The compiler
 * requires a column for each field of SubjectFields; at run time a field
 * without one fails closed (see scope.ts).
 */
export const SCOPE_COLUMNS: { [S in ScopedSubject]: { [F in keyof SubjectFields[S]]-?: ScopeColumn } } = {
  Person: PERSON_SCOPED,
  PersonHistory: PERSON_SCOPED,
  Address: {
    ...PERSON_SCOPED,
    policeAdministration: { on: 'row', column: 'police_administration' },
    arrivingTo: { on: 'arrival', column: 'police_administration' },
    servedBy: SERVING_ADMINISTRATION,
    unplaced: { on: 'person', column: 'regions', sql: (person) => `(cardinality(${person}.regions) = 0)` },
  },
  Arrival: {
    ...PERSON_SCOPED,
    responsibleAdministration: {
      on: 'person',
      column: 'id',
      // Permanent address, else active reporting, else temporary address (migration Compliance).
      sql: (person) => `responsible_administration(${person}.id)`,
    },
  },
  PhysicalDescription: PERSON_SCOPED,
  Workplace: PERSON_SCOPED,
  DnaReference: PERSON_SCOPED,
  Photo: PERSON_SCOPED,
  Conviction: PERSON_SCOPED,
  Measure: PERSON_SCOPED,
  CheckIn: PERSON_SCOPED,
  Notification: PERSON_SCOPED,
  Breach: PERSON_SCOPED,
  Counselling: PERSON_SCOPED,
  Acknowledgement: PERSON_SCOPED,
  Disclosure: PERSON_SCOPED,
  // The check's own column (a copy of its address's), or the address's row when a check is recorded.
  AddressCheck: { ...PERSON_SCOPED, policeAdministration: { on: 'row', column: 'police_administration' } },
  Referral: PERSON_SCOPED,
  Compliance: PERSON_SCOPED,
  Statistics: PERSON_SCOPED,
  CaseFile: PERSON_SCOPED,
  Alert: {
    policeAdministration: { on: 'row', column: 'police_administration' },
    office: { on: 'row', column: 'office' },
    servedBy: SERVING_ADMINISTRATION,
  },
};
