import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { belgradeToday, DomainError, isRealDate, type Page, type PageQuery } from '@app/common';
import type { Principal } from '@app/authz';
import { AuditLog, type RequestAudit } from '@app/audit';
import { AlertRaiser, ComplianceService, type ComplianceView } from '@app/compliance';
import type {
  CreateBreachDto,
  CreateCheckInDto,
  CreateCounsellingDto,
  UpdateBreachDto,
  UpdateCounsellingDto,
} from './dto/acts.dto';
import { Breach } from './entities/breach.entity';
import { CheckIn } from './entities/check-in.entity';
import { CounsellingAttendance } from './entities/counselling-attendance.entity';
import { Measure, type MeasureType } from './entities/measure.entity';
import { PersonRecords } from './person-records';

/** Clocks differ a little: an instant up to this far ahead still counts as now. */
const CLOCK_SKEW_MS = 2 * 60_000;

export interface CheckInView {
  id: string;
  measureId: string;
  occurredAt: Date;
  place: string;
  method: string;
  recordedBy: string;
  createdAt: Date;
  voidedAt: Date | null;
  voidedBy: string | null;
  voidReason: string | null;
  version: number;
}

export const toCheckInView = (c: CheckIn): CheckInView => ({
  id: c.id,
  measureId: c.measureId,
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

export interface BreachView {
  id: string;
  measureId: string;
  occurredAt: Date;
  description: string;
  recordedBy: string;
  createdAt: Date;
  version: number;
}

const toBreachView = (b: Breach): BreachView => ({
  id: b.id,
  measureId: b.measureId,
  occurredAt: b.occurredAt,
  description: b.description,
  recordedBy: b.recordedBy,
  createdAt: b.createdAt,
  version: b.version,
});

export interface CounsellingView {
  id: string;
  measureId: string;
  attendedOn: string;
  institution: string;
  recordedBy: string;
  createdAt: Date;
  version: number;
}

const toCounsellingView = (c: CounsellingAttendance): CounsellingView => ({
  id: c.id,
  measureId: c.measureId,
  attendedOn: c.attendedOn,
  institution: c.institution,
  recordedBy: c.recordedBy,
  createdAt: c.createdAt,
  version: c.version,
});

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
async function measureOf(
  manager: EntityManager,
  personId: string,
  measureId: string,
  accept: (measure: Measure) => string | null,
): Promise<Measure> {
  const measure = await manager.getRepository(Measure).findOneBy({ id: measureId, personId });
  const problem = measure ? accept(measure) : 'is not a measure of this person';
  if (problem) throw DomainError.validation([{ field: 'measureId', message: problem }]);
  return measure as Measure;
}

function assertAttendedOn(attendedOn: string): void {
  if (!isRealDate(attendedOn)) throw DomainError.validation([{ field: 'attendedOn', message: 'is not a real date' }]);
  if (attendedOn > belgradeToday()) {
    throw DomainError.validation([{ field: 'attendedOn', message: 'must not be in the future' }]);
  }
}

function ofType(type: MeasureType, on: string): (measure: Measure) => string | null {
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
 * Acts of carrying out a measure that are recorded against it: check-ins
 * (voided, never deleted, when recorded by mistake), breaches (which raise an
 * alert) and counselling attendance.
 */
@Injectable()
export class MeasureActsService {
  constructor(
    private readonly log: AuditLog,
    private readonly records: PersonRecords,
    private readonly compliance: ComplianceService,
    private readonly raiser: AlertRaiser,
  ) {}

  /** A check-in, and the person's compliance re-evaluated in the same transaction. */
  async checkIn(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    input: CreateCheckInDto,
  ): Promise<CheckInView & { compliance: ComplianceView }> {
    audit.on('check_in').subject(personId);
    return this.log.transaction(audit, async (manager) => {
      await this.records.within(manager, audit, principal, personId, 'record', true, 'CheckIn');
      const occurredAt = pastInstant(input.occurredAt, 'occurredAt');
      await measureOf(manager, personId, input.measureId, ofType('periodic_reporting', belgradeToday(occurredAt)));
      const repository = manager.getRepository(CheckIn);
      const saved = await repository.save(
        repository.create({
          personId,
          measureId: input.measureId,
          occurredAt,
          place: input.place,
          method: input.method,
          recordedBy: principal.userId,
        }),
      );
      audit.on('check_in', saved.id);
      await this.history(manager, audit, personId, 'check_in', saved.id, 'create', null, toCheckInView(saved));
      return { ...toCheckInView(saved), compliance: await this.compliance.ofPerson(manager, personId) };
    });
  }

  checkIns(audit: RequestAudit, principal: Principal, personId: string, page: PageQuery): Promise<Page<CheckInView>> {
    return this.records.pageParts(audit, principal, personId, 'check_in', 'CheckIn', {
      entity: CheckIn,
      column: 'occurred_at',
      positionKind: 'time',
      view: toCheckInView,
      ...page,
    });
  }

  /** A clerk voids a check-in recorded by mistake; the reason is the request's access reason. */
  voidCheckIn(audit: RequestAudit, principal: Principal, personId: string, id: string): Promise<CheckInView> {
    return this.records.voidPart(audit, principal, {
      entity: CheckIn,
      personId,
      partId: id,
      part: 'check_in',
      view: toCheckInView,
    });
  }

  /** A breach of any of the person's measures; it raises a `breach` alert. */
  async breach(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    input: CreateBreachDto,
  ): Promise<BreachView> {
    audit.on('breach').subject(personId);
    return this.log.transaction(audit, async (manager) => {
      await this.records.within(manager, audit, principal, personId, 'record', true, 'Breach');
      const occurredAt = pastInstant(input.occurredAt, 'occurredAt');
      await measureOf(manager, personId, input.measureId, () => null);
      const repository = manager.getRepository(Breach);
      const saved = await repository.save(
        repository.create({
          personId,
          measureId: input.measureId,
          occurredAt,
          description: input.description,
          recordedBy: principal.userId,
        }),
      );
      audit.on('breach', saved.id);
      await this.history(manager, audit, personId, 'breach', saved.id, 'create', null, toBreachView(saved));
      await this.raiser.raise(manager, {
        sql: `SELECT 'breach' AS kind, m.person_id, m.id AS measure_id, $2::uuid AS source_id, $3::date AS due_date,
                     coalesce(m.report_to, responsible_administration(m.person_id)) AS police_administration
                FROM measures m WHERE m.id = $1`,
        params: [input.measureId, saved.id, belgradeToday(occurredAt)],
      });
      return toBreachView(saved);
    });
  }

  /** A clerk's correction of a breach (If-Match: its version); the alert it raised stays. */
  correctBreach(
    audit: RequestAudit,
    personId: string,
    breachId: string,
    version: number,
    changes: UpdateBreachDto,
  ): Promise<BreachView> {
    audit.on('breach', breachId).subject(personId);
    return this.log.transaction(audit, async (manager) => {
      await this.records.find(manager, personId, true);
      return this.records.correctPart(manager, audit, {
        entity: Breach,
        personId,
        partId: breachId,
        part: 'breach',
        version,
        view: toBreachView,
        apply: (breach) => {
          if (changes.occurredAt !== undefined) breach.occurredAt = pastInstant(changes.occurredAt, 'occurredAt');
          if (changes.description !== undefined) breach.description = changes.description;
        },
      });
    });
  }

  breaches(audit: RequestAudit, principal: Principal, personId: string, page: PageQuery): Promise<Page<BreachView>> {
    return this.records.pageParts(audit, principal, personId, 'breach', 'Breach', {
      entity: Breach,
      column: 'occurred_at',
      positionKind: 'time',
      view: toBreachView,
      ...page,
    });
  }

  async counselling(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    input: CreateCounsellingDto,
  ): Promise<CounsellingView> {
    audit.on('counselling').subject(personId);
    return this.log.transaction(audit, async (manager) => {
      await this.records.within(manager, audit, principal, personId, 'record', true, 'Counselling');
      assertAttendedOn(input.attendedOn);
      await measureOf(manager, personId, input.measureId, ofType('counselling', input.attendedOn));
      const repository = manager.getRepository(CounsellingAttendance);
      const saved = await repository.save(
        repository.create({
          personId,
          measureId: input.measureId,
          attendedOn: input.attendedOn,
          institution: input.institution,
          recordedBy: principal.userId,
        }),
      );
      audit.on('counselling', saved.id);
      await this.history(manager, audit, personId, 'counselling', saved.id, 'create', null, toCounsellingView(saved));
      return toCounsellingView(saved);
    });
  }

  /** A clerk's correction of a counselling attendance (If-Match: its version). */
  correctCounselling(
    audit: RequestAudit,
    personId: string,
    attendanceId: string,
    version: number,
    changes: UpdateCounsellingDto,
  ): Promise<CounsellingView> {
    audit.on('counselling', attendanceId).subject(personId);
    return this.log.transaction(audit, async (manager) => {
      await this.records.find(manager, personId, true);
      return this.records.correctPart(manager, audit, {
        entity: CounsellingAttendance,
        personId,
        partId: attendanceId,
        part: 'counselling',
        version,
        view: toCounsellingView,
        apply: async (attendance) => {
          if (changes.institution !== undefined) attendance.institution = changes.institution;
          if (changes.attendedOn !== undefined) {
            assertAttendedOn(changes.attendedOn);
            await measureOf(manager, personId, attendance.measureId, ofType('counselling', changes.attendedOn));
            attendance.attendedOn = changes.attendedOn;
          }
        },
      });
    });
  }

  counsellingAttendances(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    page: PageQuery,
  ): Promise<Page<CounsellingView>> {
    return this.records.pageParts(audit, principal, personId, 'counselling', 'Counselling', {
      entity: CounsellingAttendance,
      column: 'attended_on',
      positionKind: 'date',
      view: toCounsellingView,
      ...page,
    });
  }

  private history(
    manager: EntityManager,
    audit: RequestAudit,
    personId: string,
    part: string,
    partId: string,
    change: string,
    before: object | null,
    after: object,
  ): Promise<void> {
    return this.records.recordHistory(manager, audit, {
      personId,
      part,
      partId,
      change,
      before: before && { ...before },
      after: { ...after },
    });
  }
}
