import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { belgradeToday, DomainError, type KeysetColumn, type Page, type PageQuery } from '@app/common';
import type { Principal } from '@app/authz';
import type { RequestAudit } from '@app/audit';
import { PersonAccess } from './access/person-access';
import type { PersonScope } from './access/person-scope';
import {
  COMPLIANCE_COLUMNS,
  type ComplianceRow,
  ComplianceService,
  ComplianceView,
  complianceView,
} from '@app/compliance';
import type { CreateCheckInDto } from './dto/acts.dto';
import { CHECK_IN_METHODS, CheckIn, REPORTING_AUTHORITIES, type ReportingAuthority } from './entities/check-in.entity';
import { VoidableView } from './voidable.view';
import { OfficeReportingSchedule } from './entities/office-reporting-schedule.entity';
import { Measure, type MeasureType } from './entities/measure.entity';

/** Clocks differ a little: an instant up to this far ahead still counts as now. */
const CLOCK_SKEW_MS = 2 * 60_000;

export class CheckInView extends VoidableView {
  @ApiProperty({ format: 'uuid', example: 'c2f1a7d4-5b3e-4f6a-8d9c-1e2f3a4b5c6d' })
  id!: string;

  @ApiProperty({ format: 'uuid', example: '0b9b7f0e-3c1d-4b8a-9f3e-6a1c2d3e4f50' })
  measureId!: string;

  /** The authority reported to; the check-in satisfies only its schedule. */
  @ApiProperty({ enum: REPORTING_AUTHORITIES, example: 'police' })
  authority!: ReportingAuthority;

  /** The UIKS office (uiks only). */
  @ApiProperty({ type: String, nullable: true, example: null })
  office!: string | null;

  @ApiProperty({ example: '2026-02-23T09:15:00.000Z' })
  occurredAt!: Date;

  @ApiProperty({ example: 'PU-NIS' })
  place!: string;

  @ApiProperty({ enum: CHECK_IN_METHODS, example: 'in_person' })
  method!: string;

  @ApiProperty({ format: 'uuid', example: '5d6e7f80-1a2b-4c3d-8e4f-9a0b1c2d3e4f' })
  recordedBy!: string;

  @ApiProperty({ example: '2026-02-23T09:16:02.000Z' })
  createdAt!: Date;
}

export const toCheckInView = (c: CheckIn): CheckInView => ({
  id: c.id,
  measureId: c.measureId,
  authority: c.authority,
  office: c.office,
  occurredAt: c.occurredAt,
  place: c.place,
  method: c.method,
  recordedBy: c.recordedBy,
  createdAt: c.createdAt,
  voidedAt: c.voidedAt,
  voidedBy: c.voidedBy,
  voidReason: c.voidReason,
  version: c.version,
});

/** A check-in as recording it answers: with the person's compliance after it. */
export class RecordedCheckInView extends CheckInView {
  @ApiProperty({ type: () => ComplianceView })
  compliance!: ComplianceView;
}

/** An instant that has happened (a little clock skew allowed); 400 naming `field` otherwise. */
export function pastInstant(value: string, field: string): Date {
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw DomainError.validation([{ field, message: 'is not a valid timestamp' }]);
  if (at.getTime() > Date.now() + CLOCK_SKEW_MS) {
    throw DomainError.validation([{ field, message: 'must not be in the future' }]);
  }
  return at;
}

/** The person's measure named in a body; 400 when it is not theirs or not of the expected kind. */
export async function measureOf(
  person: PersonScope,
  measureId: string,
  accept: (measure: Measure) => string | null,
): Promise<Measure> {
  return acceptMeasure(await person.one(Measure, { id: measureId }), accept);
}

/** The measure found for a body's measureId (null: not the person's); 400 when `accept` finds a problem. */
export function acceptMeasure(measure: Measure | null, accept: (measure: Measure) => string | null): Measure {
  const problem = measure ? accept(measure) : 'is not a measure of this person';
  if (problem) throw DomainError.validation([{ field: 'measureId', message: problem }]);
  return measure as Measure;
}

/** What `check` returns, or the DomainError it threw (a refusal answered later). */
function refusalOr<T>(check: () => T): T | DomainError {
  try {
    return check();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
}

export function ofType(type: MeasureType, on: string): (measure: Measure) => string | null {
  return (measure) => {
    if (measure.type !== type) return `is not a ${type} measure`;
    if (measure.status !== 'active') return `is ${measure.status}`;
    if (on < measure.startsOn || on > measure.endsOn) {
      return `was not in force on ${on} (${measure.startsOn} to ${measure.endsOn})`;
    }
    return null;
  };
}

/**
 * The authority a check-in is recorded for: police officers record police
 * check-ins only; a clerk of a UIKS office records uiks ones at that office
 * (by default) and names no other; a clerk without an office records police
 * ones by default, or uiks ones naming the office. 400 naming the field.
 */
function checkInAuthority(
  principal: Principal,
  input: Pick<CreateCheckInDto, 'authority' | 'office'>,
): { authority: ReportingAuthority; office: string | null } {
  const own = principal.office;
  const authority = input.authority ?? (own ? 'uiks' : 'police');
  if (authority === 'police') {
    if (input.office) throw DomainError.validation([{ field: 'office', message: 'is only for uiks check-ins' }]);
    return { authority, office: null };
  }
  if (principal.role !== 'registry_clerk') {
    throw DomainError.validation([{ field: 'authority', message: 'a police officer records police check-ins only' }]);
  }
  if (own && input.office && input.office !== own) {
    throw DomainError.validation([{ field: 'office', message: `must be your own office (${own})` }]);
  }
  const office = own ?? input.office;
  if (!office) throw DomainError.validation([{ field: 'office', message: 'is required for a uiks check-in' }]);
  return { authority, office };
}

/** Newest first, by a time column of the part. */
export const newestBy = (column: string, kind: 'time' | 'date'): KeysetColumn[] => [
  { sql: `x.${column}`, kind, desc: true },
  { sql: 'x.id', kind: 'uuid', desc: true },
];

/**
 * Check-ins, the act of carrying out a reporting measure: recorded against
 * it, voided, never deleted, when recorded by mistake. Breaches are
 * BreachesService's, counselling attendance CounsellingService's.
 */
@Injectable()
export class MeasureActsService {
  constructor(
    private readonly access: PersonAccess,
    private readonly compliance: ComplianceService,
  ) {}

  /**
   * A check-in, and the person's compliance re-evaluated in the same transaction, in two statements: the
   * first finds, scopes and locks the person, finds the measure (and the UIKS office's schedule) and inserts
   * the check-in when they were found; the checks below then refuse (undoing it) or the second writes its
   * history entry and the audit event and answers the compliance.
   */
  checkIn(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    input: CreateCheckInDto,
  ): Promise<RecordedCheckInView> {
    audit.on('check_in').subject(personId);
    // The body's own checks: a refusal is answered after the person's reach (404 first), nothing inserted.
    const given = refusalOr(() => ({
      occurredAt: pastInstant(input.occurredAt, 'occurredAt'),
      ...checkInAuthority(principal, input),
    }));
    const office = given instanceof DomainError ? null : given.office;
    return this.access.within(
      audit,
      principal,
      {
        action: 'record',
        on: 'CheckIn',
        personId,
        lock: true,
        refs: {
          measure: { entity: Measure, where: { id: input.measureId } },
          ...(office
            ? { schedule: { entity: OfficeReportingSchedule, where: { measureId: input.measureId, office } } }
            : {}),
        },
        insert:
          given instanceof DomainError
            ? undefined
            : {
                entity: CheckIn,
                values: {
                  measureId: input.measureId,
                  authority: given.authority,
                  office,
                  occurredAt: given.occurredAt,
                  place: input.place,
                  method: input.method,
                  recordedBy: principal.userId,
                },
              },
      },
      async (person, found) => {
        if (given instanceof DomainError) throw given;
        acceptMeasure(
          found.refs.measure as Measure | null,
          ofType('periodic_reporting', belgradeToday(given.occurredAt)),
        );
        if (office && !found.refs.schedule) {
          throw DomainError.validation([
            { field: 'measureId', message: `has no reporting schedule at the UIKS office ${office}` },
          ]);
        }
        // Inserted: the person is in reach and the refs were found (checked above).
        if (!found.inserted) throw new Error('the check-in was not inserted');
        const { view, answer } = await this.access.created(
          person,
          'check_in',
          found.inserted as CheckIn,
          toCheckInView,
          (before) => ({ select: COMPLIANCE_COLUMNS, ...this.compliance.personFrom(personId, before) }),
        );
        return { ...view, compliance: complianceView(answer as ComplianceRow) };
      },
    );
  }

  checkIns(audit: RequestAudit, principal: Principal, personId: string, page: PageQuery): Promise<Page<CheckInView>> {
    return this.access.list(audit, principal, 'check_in', { on: 'CheckIn', personId }, (person) =>
      person.page(CheckIn, newestBy('occurred_at', 'time'), page, toCheckInView),
    );
  }

  /** A clerk voids a check-in recorded by mistake; the reason is the request's access reason. */
  voidCheckIn(audit: RequestAudit, principal: Principal, personId: string, id: string): Promise<CheckInView> {
    return this.access.voidPart(
      audit,
      principal,
      { on: 'CheckIn', entity: CheckIn, part: 'check_in', absent: 'No such check-in.', personId, id },
      toCheckInView,
    );
  }

  /**
   * A breach of any of the person's measures; it raises a `breach` alert.
   * Travel abroad without a notice (`travel_without_notice`) is a breach of
   * the person's notify_travel_abroad measure.
   */
}
