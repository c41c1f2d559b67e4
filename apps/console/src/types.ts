/**
 * The api's views as the console uses them, named from the types generated
 * out of the served OpenAPI document (src/api/schema.d.ts, written by
 * `npm run openapi:write`; never edit it by hand).
 */
import type { components } from './api/schema';

type Schemas = components['schemas'];

export type Address = Schemas['AddressView'];

/** A measure: the list's (with `acknowledged`) or the person view's (also each authority's compliance). */
export type Measure = Schemas['ShownMeasureView'] & Partial<Pick<Schemas['PersonMeasureView'], 'compliance'>>;

export type Schedule = Schemas['ScheduleView'];
/** A schedule as a form sends it: only the kind's own field. */
export type ScheduleInput = Schemas['ScheduleDto'];
export type ScheduleKind = Schedule['kind'];
export const SCHEDULE_KINDS = [
  'monthly',
  'every_days',
  'weekly',
  'weekdays',
] as const satisfies readonly ScheduleKind[];

export type Conviction = Schemas['ConvictionView'];
export type Compliance = Schemas['ComplianceView'];

/** A referral of breaches and alerts to the prosecutor (`/persons/:id/referrals`). */
export type Referral = Schemas['ReferralView'];

export type Person = Schemas['PersonView'];

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type OverdueItem = Schemas['OverdueItem'];
export type DueItem = Schemas['DueItem'];
export type Alert = Schemas['AlertView'];
export type AuditEvent = Schemas['AuditEventView'];
export type Verification = Schemas['VerifyResult'];

export const MEASURE_TYPES = [
  'periodic_reporting',
  'ban_places_with_minors',
  'counselling',
  'notify_changes',
  'notify_travel_abroad',
] as const satisfies readonly Measure['type'][];

export type ReleaseItem = Schemas['ReleaseItem'];

/** GET /compliance/proximity: a person under the ban near a place where minors gather (the nearest pair). */
export type ProximityItem = Schemas['ProximityItem'];

export type Acknowledgement = Schemas['AcknowledgementView'];
export type CheckIn = Schemas['CheckInView'];
export type CounsellingInstitution = Schemas['CounsellingInstitutionView'];
export type UiksOffice = Schemas['UiksOfficeView'];

/** The signed-in account (`GET /auth/me`): who, the role's reach, and the role's rules (packed). */
export type Me = Schemas['MeView'];
/** The tokens login and refresh answer. */
export type IssuedTokens = Schemas['TokenPair'];

/** Accounts and the changes a second admin confirms (`/users`). */
export type User = Schemas['UserView'];
export type RoleChange = Schemas['RoleChangeView'];

/** The cross-region lookup: registered or not, the active measures, nothing else. */
export type LookupAnswer = Schemas['LookupAnswer'];

/** Employer vetting: the answer to a request, and the auditors' daily volume. */
export type VettingAnswer = Schemas['VettingAnswer'];
export type VettingVolumeItem = Schemas['VettingVolumeItem'];

export type HistoryItem = Schemas['HistoryItem'];
export type InboxItem = Schemas['InboxItemView'];
export type Breach = Schemas['BreachView'];
export type Notification = Schemas['NotificationView'];
export type AddressCheckDue = Schemas['AddressCheckDueItem'];
/** A disclosure abroad as the lists show it (the person only to roles that may have the package). */
export type Disclosure = Schemas['DisclosureListItem'];
/** A disclosure as recording it answers: with the package sent. */
export type DisclosureAnswer = Schemas['DisclosureAnswer'];

/** The register's figures as of a day (`GET /statistics`). */
export type Statistics = Schemas['StatisticsAnswer'];
export type Figures = Schemas['StatisticsFiguresView'];

/** A counselling attendance (`/persons/:id/counselling`). */
export type Counselling = Schemas['CounsellingView'];
/** A country of the reference list: the ISO 3166-1 alpha-2 code the api takes, its names. */
export type Country = Schemas['CountryView'];
