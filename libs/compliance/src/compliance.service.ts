import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  addDays,
  AppConfig,
  belgradeToday,
  DomainError,
  isRealDate,
  Keyset,
  type KeysetColumn,
  type Page,
  positional,
} from '@app/common';
import { type Principal, RecordAccess } from '@app/authz';
import { AuditLog, type RequestAudit } from '@app/audit';
import type { AddressChecksDueQuery, DueQuery, OverdueQuery, ProximityQuery, ReleaseQuery } from './compliance.dto';
import { checkedInBetween, periodIndex, periodStart } from './schedule-sql';

/** Whom a schedule is kept with: the police administration, a UIKS office, or a counselling institution. */
export type ReportingAuthority = 'police' | 'uiks' | 'counselling';

/** A person's status: the worst over their reporting measures (`none` without any). */
export type ComplianceStatus = 'none' | 'compliant' | 'due' | 'overdue' | 'suspended' | 'ended';

export interface OverdueItem {
  personId: string;
  surname: string;
  givenNames: string;
  measureId: string;
  /** The authority whose schedule is overdue. */
  authority: ReportingAuthority;
  /** The UIKS office (null for the police). */
  office: string | null;
  dueDate: string;
  daysOverdue: number;
  /** The measure's reportTo (police, UIKS); the administration responsible for the person (counselling). */
  policeAdministration: string;
}

export interface DueItem {
  personId: string;
  surname: string;
  givenNames: string;
  measureId: string;
  /** The authority whose period it is. */
  authority: ReportingAuthority;
  /** The UIKS office (null for the police). */
  office: string | null;
  dueDate: string;
  /** The measure's reportTo (police, UIKS); the administration responsible for the person (counselling). */
  policeAdministration: string;
  checkedIn: boolean;
}

export interface ReleaseItem {
  personId: string;
  surname: string;
  givenNames: string;
  convictionId: string;
  /** The actual release once recorded, else the expected one. */
  releaseOn: string;
  released: boolean;
  facility: string | null;
  /** Where the person is to live after release (the address in force; permanent first). */
  plannedAddress: {
    kind: string;
    street: string;
    city: string;
    postalCode: string;
    policeAdministration: string;
  } | null;
  /** The measures binding after release, and whether the person was told the duties of each. */
  measures: { id: string; type: string; startsOn: string; endsOn: string; acknowledged: boolean }[];
  /** Every such measure acknowledged (and there is one). */
  acknowledged: boolean;
}

/** A person under the ban on places with minors who lives or works near one (the nearest such pair). */
export interface ProximityItem {
  personId: string;
  surname: string;
  givenNames: string;
  /** Rounded to the metre. */
  distanceMetres: number;
  /** Which of the person's locations: the address's kind, or the current workplace. */
  location: { kind: 'permanent' | 'temporary' | 'workplace'; id: string };
  place: { id: string; kind: string; name: string; address: string };
  /** How many active places lie within the distance of any of the person's locations. */
  placesWithin: number;
}

export interface ComplianceView {
  status: ComplianceStatus;
  nextDueAt: Date | null;
  lastCheckInAt: Date | null;
}

/**
 * The lists' order: by the due date (`due_on` of each list's rows), then the
 * schedule (the police one's id is the measure's).
 */
const BY_DUE_DATE: KeysetColumn[] = [
  { sql: 'l.due_on', kind: 'date' },
  { sql: 'l.schedule_id', kind: 'uuid' },
];

/** The release list's order: the release date, then the conviction. */
const BY_RELEASE: KeysetColumn[] = [
  { sql: 'l.due_on', kind: 'date' },
  { sql: 'l.conviction_id', kind: 'uuid' },
];

/** The proximity list's order: the distance (whole metres), then the person. */
const BY_DISTANCE: KeysetColumn[] = [
  { sql: 'l.distance_m', kind: 'number', cast: 'integer' },
  { sql: 'l.person_id', kind: 'uuid' },
];

/** A row of the proximity list, as SQL returns it. */
interface ProximityRow {
  person_id: string;
  surname: string;
  given_names: string;
  distance_m: number;
  location: ProximityItem['location']['kind'];
  location_id: string;
  place_id: string;
  place_kind: string;
  place_name: string;
  place_address: string;
  places_within: number;
}

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

/** An address due for a check: in force, not confirmed by a check for `olderThanDays` or more. */
export interface AddressCheckDueItem {
  personId: string;
  surname: string;
  givenNames: string;
  address: {
    id: string;
    kind: string;
    street: string;
    city: string;
    postalCode: string;
    policeAdministration: string;
    validFrom: string;
  };
  /** The day of the last confirming check (Belgrade), else the address's validFrom. */
  confirmedSince: string;
  daysSinceConfirmed: number;
  /** The address's latest check whatever its outcome (null: never checked). */
  lastCheck: { id: string; checkedAt: Date; outcome: string } | null;
}

/** A row of the address-checks-due list, as SQL returns it. */
interface AddressCheckDueRow {
  person_id: string;
  surname: string;
  given_names: string;
  address: AddressCheckDueItem['address'];
  confirmed_since: string;
  days_since: number;
  last_check: { id: string; checkedAt: string; outcome: string } | null;
}

/** The address-checks-due list's order: the oldest confirmation first, then the address. */
const BY_CONFIRMED_SINCE: KeysetColumn[] = [
  { sql: 'l.due_on', kind: 'date' },
  { sql: 'l.address_id', kind: 'uuid' },
];

/** A row of the release list, as SQL returns it. */
interface ReleaseRow {
  person_id: string;
  surname: string;
  given_names: string;
  conviction_id: string;
  release_date: string;
  released: boolean;
  facility: string | null;
  planned_address: ReleaseItem['plannedAddress'];
  measures: ReleaseItem['measures'];
  acknowledged: boolean;
}

/** `from` and `to` of a list's query (default today and `defaultDays` later; at most 366 days apart), or 400. */
function dateRange(query: { from?: string; to?: string }, defaultDays: number): { from: string; to: string } {
  const from = query.from ?? belgradeToday();
  const to = query.to ?? addDays(from, defaultDays);
  const errors = [];
  if (!isRealDate(from)) errors.push({ field: 'from', message: 'is not a real date' });
  if (!isRealDate(to)) errors.push({ field: 'to', message: 'is not a real date' });
  else if (errors.length === 0 && (to < from || to > addDays(from, 366))) {
    errors.push({ field: 'to', message: 'must be on or after from and at most 366 days after it' });
  }
  if (errors.length) throw DomainError.validation(errors);
  return { from, to };
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
    private readonly log: AuditLog,
    private readonly access: RecordAccess,
  ) {}

  /** One person's compliance, from their reporting measures, check-ins and suspensions. */
  async ofPerson(manager: EntityManager, personId: string, now = new Date()): Promise<ComplianceView> {
    const { graceHours, dueSoonDays } = this.config.compliance;
    const [row]: { status: ComplianceStatus; next_due_at: Date | null; last_check_in_at: Date | null }[] =
      await manager.query(`SELECT status, next_due_at, last_check_in_at FROM person_compliance($1, $2, $3, $4)`, [
        personId,
        now,
        graceHours,
        dueSoonDays,
      ]);
    return { status: row.status, nextDueAt: row.next_due_at, lastCheckInAt: row.last_check_in_at };
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
    return this.page(audit, sql, params, new Keyset(BY_DUE_DATE, query), (row) => ({
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
    return this.page(audit, sql, params, new Keyset(BY_DUE_DATE, query), (row) => ({
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

  /**
   * Persons due for release between `from` and `to` (the actual release, else
   * the expected one), with the planned address, the measures that will bind
   * and whether their duties were acknowledged (register_releases).
   */
  releases(audit: RequestAudit, principal: Principal, query: ReleaseQuery): Promise<Page<ReleaseItem>> {
    audit.on('compliance');
    const { from, to } = dateRange(query, 30);
    // The list shows where each person is to live: scoped as addresses are.
    const where = positional(this.access.scope(principal, 'read', 'Address', { person: 'p' }));
    const params: unknown[] = [...where.params, from, to];
    const sql = `
      SELECT p.id AS person_id, p.surname, p.given_names, r.conviction_id, r.release_on::text AS release_date,
             r.release_on AS due_on, r.released, r.facility, r.planned_address,
             r.measures, r.acknowledged
        FROM register_releases r
        JOIN register_persons p ON p.id = r.person_id
       WHERE r.release_on BETWEEN $${params.length - 1}::date AND $${params.length}::date AND ${where.sql}`;
    return this.page<ReleaseItem, ReleaseRow>(audit, sql, params, new Keyset(BY_RELEASE, query), (row) => ({
      personId: row.person_id,
      surname: row.surname,
      givenNames: row.given_names,
      convictionId: row.conviction_id,
      releaseOn: row.release_date,
      released: row.released,
      facility: row.facility,
      plannedAddress: row.planned_address,
      measures: row.measures,
      acknowledged: row.acknowledged,
    }));
  }

  /**
   * Addresses in force not confirmed by a check for `olderThanDays` days or
   * more (never checked: counted from validFrom), the oldest first, with the
   * person and the latest check (register_current_address_lines,
   * register_address_checks). Scoped as recording a check is: an officer sees
   * the addresses in their administration, a clerk those the office serves.
   */
  addressChecksDue(
    audit: RequestAudit,
    principal: Principal,
    query: AddressChecksDueQuery,
  ): Promise<Page<AddressCheckDueItem>> {
    audit.on('compliance');
    const where = positional(this.access.scope(principal, 'record', 'AddressCheck', { person: 'p', row: 'a' }));
    const params: unknown[] = [...where.params, query.olderThanDays ?? 90];
    const sql = `
      SELECT p.id AS person_id, p.surname, p.given_names, a.id AS address_id,
             json_build_object('id', a.id, 'kind', a.kind, 'street', a.street, 'city', a.city,
                               'postalCode', a.postal_code, 'policeAdministration', a.police_administration,
                               'validFrom', a.valid_from) AS address,
             since.on_day::text AS confirmed_since, since.on_day AS due_on,
             (today.d - since.on_day) AS days_since,
             (SELECT json_build_object('id', c.id, 'checkedAt', c.checked_at, 'outcome', c.outcome)
                FROM register_address_checks c WHERE c.address_id = a.id
               ORDER BY c.checked_at DESC, c.id DESC LIMIT 1) AS last_check
        FROM register_current_address_lines a
        JOIN register_persons p ON p.id = a.person_id
        CROSS JOIN LATERAL (SELECT (now() AT TIME ZONE 'Europe/Belgrade')::date AS d) today
        CROSS JOIN LATERAL (
          SELECT coalesce(max((c.checked_at AT TIME ZONE 'Europe/Belgrade')::date), a.valid_from) AS on_day
            FROM register_address_checks c WHERE c.address_id = a.id AND c.outcome = 'confirmed') since
       WHERE today.d - since.on_day >= $${params.length} AND ${where.sql}`;
    return this.page<AddressCheckDueItem, AddressCheckDueRow>(
      audit,
      sql,
      params,
      new Keyset(BY_CONFIRMED_SINCE, query),
      (row) => ({
        personId: row.person_id,
        surname: row.surname,
        givenNames: row.given_names,
        address: row.address,
        confirmedSince: row.confirmed_since,
        daysSinceConfirmed: Number(row.days_since),
        lastCheck: row.last_check
          ? { id: row.last_check.id, checkedAt: new Date(row.last_check.checkedAt), outcome: row.last_check.outcome }
          : null,
      }),
    );
  }

  /**
   * Persons under an active `ban_places_with_minors` measure whose current
   * address or workplace lies within `metres` of an active place where
   * minors gather, nearest first: each with the nearest such pair. The
   * geometry is PostgreSQL's (cube, earthdistance): `earth_box` over the
   * places' GiST index finds the candidates, `earth_distance` decides; over
   * register's views `register_current_locations` and `register_places`.
   * Scoped as addresses are (it shows where each person lives or works).
   */
  proximity(audit: RequestAudit, principal: Principal, query: ProximityQuery): Promise<Page<ProximityItem>> {
    audit.on('compliance');
    const where = positional(this.access.scope(principal, 'read', 'Address', { person: 'p' }));
    const params: unknown[] = [...where.params, query.metres ?? 300];
    const metres = `$${params.length}::double precision`;
    // Set-based (every candidate pair at once, then the nearest per person): about three times faster than
    // a lateral query per person at 10,000 persons under the ban (bench/).
    const sql = `
      SELECT p.id AS person_id, p.surname, p.given_names, n.location, n.location_id,
             n.place_id, n.place_kind, n.place_name, n.place_address,
             round(n.distance)::int AS distance_m, n.places_within
        FROM (SELECT DISTINCT ON (c.person_id) c.*, count(*) OVER (PARTITION BY c.person_id) AS places_within
                FROM (SELECT l.person_id, l.location, l.location_id, pl.id AS place_id, pl.kind AS place_kind,
                             pl.name AS place_name, pl.address AS place_address,
                             earth_distance(ll_to_earth(l.latitude, l.longitude),
                                            ll_to_earth(pl.latitude, pl.longitude)) AS distance
                        FROM register_current_locations l
                        JOIN register_places pl
                          ON earth_box(ll_to_earth(l.latitude, l.longitude), ${metres})
                             @> ll_to_earth(pl.latitude, pl.longitude)
                       WHERE l.person_id IN (
                               SELECT m.person_id FROM register_measures m
                                WHERE m.type = 'ban_places_with_minors' AND m.status = 'active'
                                  AND m.starts_on <= (now() AT TIME ZONE 'Europe/Belgrade')::date
                                  AND m.ends_on >= (now() AT TIME ZONE 'Europe/Belgrade')::date)) c
               WHERE c.distance <= ${metres}
               ORDER BY c.person_id, c.distance, c.place_id, c.location_id) n
        JOIN register_persons p ON p.id = n.person_id
       WHERE ${where.sql}`;
    return this.page<ProximityItem, ProximityRow>(audit, sql, params, new Keyset(BY_DISTANCE, query), (row) => ({
      personId: row.person_id,
      surname: row.surname,
      givenNames: row.given_names,
      distanceMetres: Number(row.distance_m),
      location: { kind: row.location, id: row.location_id },
      place: { id: row.place_id, kind: row.place_kind, name: row.place_name, address: row.place_address },
      placesWithin: Number(row.places_within),
    }));
  }

  /** One page of a list (`sql` selects the items; `params` are its $n), in the keyset's order. */
  private page<T, R = ListRow>(
    audit: RequestAudit,
    sql: string,
    params: unknown[],
    keyset: Keyset,
    view: (row: R) => T & { personId: string },
  ): Promise<Page<T>> {
    const after = keyset.after();
    const cursor = after ? positional(after, params.length) : { sql: 'TRUE', params: [] };
    const all = [...params, ...cursor.params, keyset.limit + 1];
    return this.log.transaction(audit, async (manager) => {
      const rows: R[] = await manager.query(
        `SELECT l.*, ${keyset.positions().join(', ')} FROM (${sql}) l
          WHERE ${cursor.sql} ORDER BY ${keyset.orderBy()} LIMIT $${all.length}`,
        all,
      );
      const page = keyset.page(rows, view);
      audit.resultCount = page.items.length;
      audit.subject(...new Set(page.items.map((item) => item.personId)));
      return page;
    });
  }

  /** The caller's scope over persons, and the region filter, as positional SQL ($1...). */
  private scope(principal: Principal, region: string | undefined): { sql: string; params: unknown[] } {
    const { sql, params } = positional(this.access.scope(principal, 'read', 'Compliance', { person: 'p' }));
    if (!region) return { sql, params };
    params.push(region);
    return { sql: `${sql} AND s.police_administration = $${params.length}`, params };
  }
}
