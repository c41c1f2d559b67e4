export interface Address {
  id: string;
  kind: 'permanent' | 'temporary';
  street: string;
  city: string;
  postalCode: string;
  policeAdministration: string;
  validFrom: string;
}

export interface Measure {
  id: string;
  type: string;
  startsOn: string;
  endsOn: string;
  reportTo: string | null;
  everyDays: number | null;
  /** The police administration's schedule (periodic reporting). */
  schedule?: Schedule | null;
  /** A UIKS office the person also reports to, with its own schedule. */
  uiks?: { office: string; schedule: Schedule } | null;
  /** A counselling measure's institution and schedule. */
  counselling?: { institution: string; schedule: Schedule } | null;
  /** Each authority's compliance (person view; reporting and counselling measures). */
  compliance?: {
    authority: 'police' | 'uiks' | 'counselling';
    office: string | null;
    status: string;
    nextDueAt: string | null;
  }[];
  status: string;
  version: number;
  /** An acknowledgement that stands (not voided) names the measure (the person view and the measures list). */
  acknowledged?: boolean;
}

export const SCHEDULE_KINDS = ['monthly', 'every_days', 'weekly', 'weekdays'] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];

export interface Schedule {
  kind: ScheduleKind;
  everyDays?: number | null;
  /** ISO weekdays, 1 (Monday) to 7 (Sunday). */
  weekdays?: number[] | null;
}

export interface Conviction {
  id: string;
  court: string;
  caseNumber: string;
  judgmentDate: string;
  finalityDate: string;
  offences: { article: string; paragraph?: number | null }[];
  victimAge: string;
  sentence: { kind: string; months?: number | null };
  releaseDate: string | null;
  /** When custody began (imprisonment). */
  custodyFrom?: string | null;
  /** The actual release, once recorded. */
  releasedOn?: string | null;
  releaseFacility?: string | null;
  version: number;
}

export interface Compliance {
  status: string;
  nextDueAt: string | null;
  lastCheckInAt: string | null;
  /** Referrals to the prosecutor awaiting their outcome (why the status is non_compliant). */
  openReferralIds?: string[];
}

/** A referral of breaches and alerts to the prosecutor (`/persons/:id/referrals`). */
export interface Referral {
  id: string;
  alertIds: string[];
  breachIds: string[];
  prosecutorOffice: string;
  referredOn: string;
  outcome: 'charged' | 'dismissed' | 'convicted' | null;
  outcomeOn: string | null;
  caseNumber: string | null;
  voidedAt: string | null;
  version: number;
}

export interface Person {
  id: string;
  surname: string;
  givenNames: string;
  parentNames: string | null;
  jmbg: string | null;
  identityDocument: { type: string; number: string; issuingCountry: string } | null;
  dateOfBirth: string;
  placeOfBirth: string;
  sex: 'M' | 'F';
  citizenship: string;
  aliases: string[];
  currentAddresses: { permanent: Address | null; temporary: Address | null };
  currentWorkplace: { employer: string; address: string; involvesMinors: boolean; validFrom: string } | null;
  physicalDescription: {
    heightCm: number;
    weightKg: number | null;
    eyeColour: string;
    hairColour: string;
    build: string | null;
    distinguishingMarks: { bodyPart: string; description: string }[];
    version: number;
  } | null;
  photos: { id: string; sha256: string; takenAt: string }[];
  dnaReference?: {
    laboratory: string;
    sampleId: string;
    profileReference: string;
    collectedOn: string;
    version: number;
  } | null;
  convictions: Conviction[];
  measures: Measure[];
  compliance: Compliance;
  managingOfficerId: string | null;
  version: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface OverdueItem {
  personId: string;
  surname: string;
  givenNames: string;
  measureId: string;
  dueDate: string;
  daysOverdue: number;
  policeAdministration: string;
  /** Whom the person reports to for this period (absent before authorities were recorded: the police). */
  authority?: 'police' | 'uiks' | 'counselling';
  office?: string | null;
}

export interface DueItem {
  personId: string;
  surname: string;
  givenNames: string;
  measureId: string;
  authority: 'police' | 'uiks' | 'counselling';
  office: string | null;
  dueDate: string;
  policeAdministration: string;
  checkedIn: boolean;
}

export interface Alert {
  id: string;
  kind: string;
  personId: string | null;
  person?: { surname: string; givenNames: string } | null;
  measureId: string | null;
  dueDate: string | null;
  policeAdministration: string | null;
  status: 'open' | 'acknowledged' | 'resolved';
  raisedAt: string;
  resolution: string | null;
  version: number;
}

export interface AuditEvent {
  seq: number;
  id: string;
  at: string;
  actor: { userId: string | null; username: string; role: string | null };
  action: string;
  subjectPersonIds: string[];
  reason: string | null;
  outcome: string;
  httpStatus: number | null;
  flagged: boolean;
  reviewed: boolean;
}

export interface Verification {
  ok: boolean;
  checkedEvents: number;
  sealedThrough: number | null;
  firstBadSeq: number | null;
  problem: string | null;
}

export const MEASURE_TYPES = [
  'periodic_reporting',
  'ban_places_with_minors',
  'counselling',
  'notify_changes',
  'notify_travel_abroad',
] as const;

export interface ReleaseItem {
  personId: string;
  surname: string;
  givenNames: string;
  convictionId: string;
  releaseOn: string;
  released: boolean;
  facility: string | null;
  plannedAddress: {
    kind: string;
    street: string;
    city: string;
    postalCode: string;
    policeAdministration: string;
  } | null;
  measures: { id: string; type: string; startsOn: string; endsOn: string; acknowledged: boolean }[];
  acknowledged: boolean;
}

/** GET /compliance/proximity: a person under the ban near a place where minors gather (the nearest pair). */
export interface ProximityItem {
  personId: string;
  surname: string;
  givenNames: string;
  distanceMetres: number;
  location: { kind: 'permanent' | 'temporary' | 'workplace'; id: string };
  place: { id: string; kind: string; name: string; address: string };
  placesWithin: number;
}

export interface Acknowledgement {
  id: string;
  measureIds: string[];
  explainedOn: string;
  explainedBy: string;
  form: { contentType: string; sha256: string; sizeBytes: number };
  recordedBy: string;
  createdAt: string;
  voidedAt: string | null;
  voidedBy: string | null;
  voidReason: string | null;
  version: number;
}

export interface CheckIn {
  id: string;
  measureId: string;
  /** Where the person reported (absent before authorities were recorded: the police). */
  authority?: 'police' | 'uiks';
  office?: string | null;
  occurredAt: string;
  place: string;
  method: string;
  voidedAt: string | null;
  version: number;
}

export interface CounsellingInstitution {
  code: string;
  name: string;
  city: string;
  active: boolean;
  version: number;
}

export interface UiksOffice {
  code: string;
  name: string;
  policeAdministrations: string[];
  active: boolean;
  version: number;
}
