import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import type { EntityManager } from 'typeorm';
import { AppConfig, Keyset, type KeysetColumn, type Page, positional } from '@app/common';
import { type Principal, RecordAccess } from '@app/authz';
import type { RequestAudit } from '@app/audit';
import type { DueQuery, OverdueQuery } from './compliance.dto';
import { dateRange, ListPages } from './list-pages';
import { ListedPerson } from './listed-person';
import { checkedInBetween, periodIndex, periodStart } from './schedule-sql';

/** Whom a schedule is kept with: the police administration, a UIKS office, or a counselling institution. */
export type ReportingAuthority = 'police' | 'uiks' | 'counselling';

/**
 * A person's status: the worst over their reporting measures (`none` without any), in the order
 * none < ended < suspended < compliant < due < overdue < non_compliant; `non_compliant` while a
 * referral to the prosecutor awaits its outcome, whatever the measures say.
 */
export type ComplianceStatus = 'none' | 'compliant' | 'due' | 'overdue' | 'suspended' | 'ended' | 'non_compliant';

export const COMPLIANCE_STATUSES: readonly ComplianceStatus[] = [
  'none',
  'ended',
  'suspended',
  'compliant',
  'due',
  'overdue',
  'non_compliant',
];

/** One reporting period of a measure: whose, to which authority, and when it is due. */
export class ReportingPeriodItem extends ListedPerson {
  @ApiProperty({ format: 'uuid', example: '0b9b7f0e-3c1d-4b8a-9f3e-6a1c2d3e4f50' })
  measureId!: string;

  /** The authority whose schedule it is. */
  @ApiProperty({ enum: ['police', 'uiks', 'counselling'], example: 'police' })
  authority!: ReportingAuthority;

  /** The UIKS office (null for the police). */
  @ApiProperty({ type: String, nullable: true, example: null })
  office!: string | null;

  @ApiProperty({ format: 'date', example: '2026-02-23' })
  dueDate!: string;

  /** The measure's reportTo (police, UIKS); the administration responsible for the person (counselling). */
  @ApiProperty({ example: 'PU-NIS' })
  policeAdministration!: string;
}

export class OverdueItem extends ReportingPeriodItem {
  @ApiProperty({ example: 3 })
  daysOverdue!: number;
}

export class DueItem extends ReportingPeriodItem {
  @ApiProperty({ example: false })
  checkedIn!: boolean;
}

/** A person under the ban on places with minors who lives or works near one (the nearest such pair). */
export class ComplianceView {
  @ApiProperty({ enum: [...COMPLIANCE_STATUSES], example: 'compliant' })
  status!: ComplianceStatus;

  @ApiProperty({ type: Date, nullable: true, example: '2026-03-02T23:00:00.000Z' })
  nextDueAt!: Date | null;

  @ApiProperty({ type: Date, nullable: true, example: '2026-02-23T09:15:00.000Z' })
  lastCheckInAt!: Date | null;

  /** The person's referrals to the prosecutor awaiting their outcome (oldest first): why non_compliant. */
  @ApiProperty({ type: [String], example: [] })
  openReferralIds!: string[];
}

/**
 * The lists' order: by the due date (`due_on` of each list's rows), then the
 * schedule (the police one's id is the measure's).
 */
/** The columns of person_compliance a ComplianceView is read from (`complianceView`). */
export const COMPLIANCE_COLUMNS = 'status, next_due_at, last_check_in_at, open_referral_ids';

/** A row of COMPLIANCE_COLUMNS as the driver returns it. */
export interface ComplianceRow {
  status: ComplianceStatus;
  next_due_at: Date | null;
  last_check_in_at: Date | null;
  open_referral_ids: string[];
}

export function complianceView(row: ComplianceRow): ComplianceView {
  return {
    status: row.status,
    nextDueAt: row.next_due_at,
    lastCheckInAt: row.last_check_in_at,
    openReferralIds: row.open_referral_ids,
  };
}

const BY_DUE_DATE: KeysetColumn[] = [
  { sql: 'l.due_on', kind: 'date' },
  { sql: 'l.schedule_id', kind: 'uuid' },
];

/** A row of the overdue and due lists, as SQL returns it. */
interface ListRow {
  person_id: string;
  surname: string;
  given_names: string;
  measure_id: string;
  authority: ReportingAuthority;
  office: string | null;
  due_date: string;
  police_administration: string;
  days_overdue?: number;
  checked_in?: boolean;
}

/**
 * Compliance as it is when read (CONTRACT "Compliance"), from its one
 * run-time source, the SQL functions `schedule_compliance` and
 * `person_compliance`, over register's views (`register_*`): a person's
 * status, the overdue and due lists (an item per authority's schedule), the
 * search's filter.
 */
@Injectable()
export class ComplianceService {
  constructor(
    private readonly config: AppConfig,
    private readonly access: RecordAccess,
    private readonly pages: ListPages,
  ) {}

  /** One person's compliance, from their reporting measures, check-ins and suspensions. */
  async ofPerson(manager: EntityManager, personId: string, now = new Date()): Promise<ComplianceView> {
    const { from, params } = this.personFrom(personId, 0, now);
    const [row]: ComplianceRow[] = await manager.query(`SELECT ${COMPLIANCE_COLUMNS} FROM ${from}`, params);
    return complianceView(row);
  }

  /**
   * `ofPerson` as a part of a caller's statement: the FROM item `compliance` (its parameters after `before`
   * others); select COMPLIANCE_COLUMNS from it and read the row with `complianceView`.
   */
  personFrom(personId: string, before: number, now = new Date()): { from: string; params: unknown[] } {
    const { graceHours, dueSoonDays } = this.config.compliance;
    const [a, b, c, d] = [1, 2, 3, 4].map((n) => `$${before + n}`);
    return {
      from: `person_compliance(${a}, ${b}, ${c}, ${d}) compliance`,
      params: [personId, now, graceHours, dueSoonDays],
    };
  }

  /** The statuses of several persons at once (list items), computed in SQL. */
  async statusesOf(manager: EntityManager, personIds: string[]): Promise<Map<string, ComplianceStatus>> {
    if (personIds.length === 0) return new Map();
    const rows: { id: string; status: ComplianceStatus }[] = await manager.query(
      `SELECT id, (person_compliance(id, now(), $2, $3)).status FROM unnest($1::uuid[]) AS id`,
      [personIds, this.config.compliance.graceHours, this.config.compliance.dueSoonDays],
    );
    return new Map(rows.map((row) => [row.id, row.status]));
  }

  /** A condition on `alias`.id for the search's `status` filter (named parameters for the query builder). */
  statusCondition(alias: string, status: ComplianceStatus): { sql: string; params: Record<string, unknown> } {
    return {
      sql: `(person_compliance(${alias}.id, now(), :complianceGrace, :complianceDueSoon)).status = :complianceStatus`,
      params: {
        complianceGrace: this.config.compliance.graceHours,
        complianceDueSoon: this.config.compliance.dueSoonDays,
        complianceStatus: status,
      },
    };
  }

  /** One item per overdue schedule (each authority's of each measure), oldest first. */
  overdue(audit: RequestAudit, principal: Principal, query: OverdueQuery): Promise<Page<OverdueItem>> {
    audit.on('compliance');
    const where = this.scope(principal, query.region);
    const params = [...where.params, this.config.compliance.graceHours, this.config.compliance.dueSoonDays];
    const sql = `
      SELECT p.id AS person_id, p.surname, p.given_names, s.measure_id, s.id AS schedule_id, s.authority, s.office,
             c.overdue_since::text AS due_date, c.overdue_since AS due_on,
             ((now() AT TIME ZONE 'Europe/Belgrade')::date - c.overdue_since) AS days_overdue,
             s.police_administration
        FROM register_reporting_schedules s
        JOIN register_persons p ON p.id = s.person_id
        CROSS JOIN LATERAL schedule_compliance(s, now(), $${params.length - 1}, $${params.length}) c
       WHERE s.status = 'active' AND c.status = 'overdue' AND ${where.sql}`;
    return this.pages.page<OverdueItem, ListRow>(audit, sql, params, new Keyset(BY_DUE_DATE, query), (row) => ({
      personId: row.person_id,
      surname: row.surname,
      givenNames: row.given_names,
      measureId: row.measure_id,
      authority: row.authority,
      office: row.office,
      dueDate: row.due_date,
      daysOverdue: Number(row.days_overdue),
      policeAdministration: row.police_administration,
    }));
  }

  /** The reporting periods (of each authority's schedule) ending between `from` and `to`, and whether each has its check-in. */
  due(audit: RequestAudit, principal: Principal, query: DueQuery): Promise<Page<DueItem>> {
    audit.on('compliance');
    const { from, to } = dateRange(query, 7);
    const where = this.scope(principal, query.region);
    const params: unknown[] = [...where.params, from, to];
    const [f, t] = [`$${params.length - 1}::date`, `$${params.length}::date`];
    const sql = `
      SELECT p.id AS person_id, p.surname, p.given_names, s.measure_id, s.id AS schedule_id, s.authority, s.office,
             per.last_day::text AS due_date, per.last_day AS due_on,
             s.police_administration,
             ${checkedInBetween('per.starts_on', 'per.last_day')} AS checked_in
        FROM register_reporting_schedules s
        JOIN register_persons p ON p.id = s.person_id
        CROSS JOIN LATERAL generate_series(
          ${periodIndex(`greatest(${f}, s.starts_on)`)}, ${periodIndex(`least(${t}, s.ends_on)`)}) AS k
        CROSS JOIN LATERAL (SELECT ${periodStart('k')} AS starts_on,
                                   least(${periodStart('k + 1')} - 1, s.ends_on) AS last_day) per
       WHERE s.status = 'active'
         AND per.last_day BETWEEN ${f} AND ${t}
         AND NOT period_excused(s.measure_id, s.person_id, per.starts_on, per.last_day) AND ${where.sql}`;
    return this.pages.page<DueItem, ListRow>(audit, sql, params, new Keyset(BY_DUE_DATE, query), (row) => ({
      personId: row.person_id,
      surname: row.surname,
      givenNames: row.given_names,
      measureId: row.measure_id,
      authority: row.authority,
      office: row.office,
      dueDate: row.due_date,
      policeAdministration: row.police_administration,
      checkedIn: Boolean(row.checked_in),
    }));
  }

  /** The caller's scope over persons, and the region filter, as positional SQL ($1...). */
  private scope(principal: Principal, region: string | undefined): { sql: string; params: unknown[] } {
    const { sql, params } = positional(this.access.scope(principal, 'read', 'Compliance', { person: 'p' }));
    if (!region) return { sql, params };
    params.push(region);
    return { sql: `${sql} AND s.police_administration = $${params.length}`, params };
  }
}
