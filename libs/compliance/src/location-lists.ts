import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig, DomainError, Keyset, type KeysetColumn, type Page, positional } from '@app/common';
import { type Principal, RecordAccess } from '@app/authz';
import type { RequestAudit } from '@app/audit';
import type { AddressChecksDueQuery, ProximityQuery, ReleaseQuery } from './compliance.dto';
import { dateRange, ListPages } from './list-pages';
import { ListedPerson } from './listed-person';

export class PlannedAddressView {
  @ApiProperty({ enum: ['permanent', 'temporary'], example: 'permanent' })
  kind!: string;

  @ApiProperty({ example: 'Obrenovićeva 12' })
  street!: string;

  @ApiProperty({ example: 'Niš' })
  city!: string;

  @ApiProperty({ example: '18000' })
  postalCode!: string;

  @ApiProperty({ example: 'PU-NIS' })
  policeAdministration!: string;
}

export class ReleaseMeasureView {
  @ApiProperty({ format: 'uuid', example: '0b9b7f0e-3c1d-4b8a-9f3e-6a1c2d3e4f50' })
  id!: string;

  @ApiProperty({ example: 'periodic_reporting' })
  type!: string;

  @ApiProperty({ format: 'date', example: '2026-02-10' })
  startsOn!: string;

  @ApiProperty({ format: 'date', example: '2036-02-10' })
  endsOn!: string;

  @ApiProperty({ example: false })
  acknowledged!: boolean;
}

export class ReleaseItem extends ListedPerson {
  @ApiProperty({ format: 'uuid', example: 'c2f1a7d4-5b3e-4f6a-8d9c-1e2f3a4b5c6d' })
  convictionId!: string;

  /** The actual release once recorded, else the expected one. */
  @ApiProperty({ format: 'date', example: '2026-02-10' })
  releaseOn!: string;

  @ApiProperty({ example: false })
  released!: boolean;

  @ApiProperty({ type: String, nullable: true, example: 'KPZ Niš' })
  facility!: string | null;

  /** Where the person is to live after release (the address in force; permanent first). */
  @ApiProperty({ type: () => PlannedAddressView, nullable: true })
  plannedAddress!: PlannedAddressView | null;

  /** The measures binding after release, and whether the person was told the duties of each. */
  @ApiProperty({ type: () => [ReleaseMeasureView] })
  measures!: ReleaseMeasureView[];

  /** Every such measure acknowledged (and there is one). */
  @ApiProperty({ example: false })
  acknowledged!: boolean;
}

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

/** The release list's order: the release date, then the conviction. */
const BY_RELEASE: KeysetColumn[] = [
  { sql: 'l.due_on', kind: 'date' },
  { sql: 'l.conviction_id', kind: 'uuid' },
];

export class ProximityLocationView {
  @ApiProperty({ enum: ['permanent', 'temporary', 'workplace'], example: 'permanent' })
  kind!: 'permanent' | 'temporary' | 'workplace';

  @ApiProperty({ format: 'uuid', example: 'c2f1a7d4-5b3e-4f6a-8d9c-1e2f3a4b5c6d' })
  id!: string;
}

export class ProximityPlaceView {
  @ApiProperty({ format: 'uuid', example: '0b9b7f0e-3c1d-4b8a-9f3e-6a1c2d3e4f50' })
  id!: string;

  @ApiProperty({ example: 'school' })
  kind!: string;

  @ApiProperty({ example: 'OŠ „Vožd Karađorđe”' })
  name!: string;

  @ApiProperty({ example: 'Obrenovićeva 20, Niš' })
  address!: string;
}

export class ProximityItem extends ListedPerson {
  /** Rounded to the metre. */
  @ApiProperty({ example: 140 })
  distanceMetres!: number;

  /** Which of the person's locations: the address's kind, or the current workplace. */
  @ApiProperty({ type: () => ProximityLocationView })
  location!: ProximityLocationView;

  @ApiProperty({ type: () => ProximityPlaceView })
  place!: ProximityPlaceView;

  /** How many active places lie within the distance of any of the person's locations. */
  @ApiProperty({ example: 2 })
  placesWithin!: number;
}

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

/** The proximity list's order: the distance (whole metres), then the person. */
const BY_DISTANCE: KeysetColumn[] = [
  { sql: 'l.distance_m', kind: 'number', cast: 'integer' },
  { sql: 'l.person_id', kind: 'uuid' },
];

/** An address due for a check: in force, not confirmed by a check for `olderThanDays` or more. */
/** An address due a check: the address as a release plans it, with its id and since when it holds. */
export class DueAddressView extends PlannedAddressView {
  @ApiProperty({ format: 'uuid', example: 'c2f1a7d4-5b3e-4f6a-8d9c-1e2f3a4b5c6d' })
  id!: string;

  @ApiProperty({ format: 'date', example: '2026-01-15' })
  validFrom!: string;
}

export class LastAddressCheckView {
  @ApiProperty({ format: 'uuid', example: '0b9b7f0e-3c1d-4b8a-9f3e-6a1c2d3e4f50' })
  id!: string;

  @ApiProperty({ example: '2026-01-20T18:30:00.000Z' })
  checkedAt!: Date;

  @ApiProperty({ example: 'absent' })
  outcome!: string;
}

export class AddressCheckDueItem extends ListedPerson {
  @ApiProperty({ type: () => DueAddressView })
  address!: DueAddressView;

  /** The day of the last confirming check (Belgrade), else the address's validFrom. */
  @ApiProperty({ format: 'date', example: '2026-01-15' })
  confirmedSince!: string;

  @ApiProperty({ example: 39 })
  daysSinceConfirmed!: number;

  /** The address's latest check whatever its outcome (null: never checked). */
  @ApiProperty({ type: () => LastAddressCheckView, nullable: true })
  lastCheck!: LastAddressCheckView | null;
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

/**
 * The lists of where persons are or will be, for the field: releases coming
 * with the planned address, addresses due for a check, and persons under the
 * ban near places where minors gather. Over register's views; scoped as
 * addresses (or address checks) are.
 */
@Injectable()
export class LocationLists {
  /** The stored pairs' reach in metres, once read (migration ProximityPairs, `proximity:rebuild`). */
  private reach: number | null = null;

  constructor(
    private readonly access: RecordAccess,
    private readonly pages: ListPages,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

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
    return this.pages.page<ReleaseItem, ReleaseRow>(audit, sql, params, new Keyset(BY_RELEASE, query), (row) => ({
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
    return this.pages.page<AddressCheckDueItem, AddressCheckDueRow>(
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
   * address or workplace lies within `metres` (at most PROXIMITY_MAX_METRES)
   * of an active place where minors gather, nearest first: each with the
   * nearest such pair and how many pairs lie that near. The pairs are
   * stored (register_location_place_pairs, kept by the register's writes
   * within the reach); the ban, today's date and the caller's scope are
   * applied here. The statement walks the pairs by distance and keeps a
   * pair when no nearer pair of the person exists, so a page costs about
   * its own rows, not every person under the ban. Scoped as addresses are
   * (it shows where each person lives or works).
   */
  async proximity(audit: RequestAudit, principal: Principal, query: ProximityQuery): Promise<Page<ProximityItem>> {
    audit.on('compliance');
    const metres = query.metres ?? 300;
    await this.assertWithinReach(metres);
    const where = positional(this.access.scope(principal, 'read', 'Address', { person: 'p' }));
    const params: unknown[] = [...where.params, metres];
    const m = `$${params.length}::double precision`;
    const sql = `
      SELECT n.person_id, p.surname, p.given_names, n.location, n.location_id,
             n.place_id, pl.kind AS place_kind, pl.name AS place_name, pl.address AS place_address, n.distance_m,
             (SELECT count(*) FROM register_location_place_pairs w
               WHERE w.person_id = n.person_id AND w.distance <= ${m}) AS places_within
        FROM register_location_place_pairs n
        JOIN register_persons p ON p.id = n.person_id
        JOIN register_places pl ON pl.id = n.place_id
       WHERE n.distance <= ${m}
         AND NOT EXISTS (
               SELECT 1 FROM register_location_place_pairs q
                WHERE q.person_id = n.person_id
                  AND (q.distance, q.place_id, q.location_id) < (n.distance, n.place_id, n.location_id))
         AND EXISTS (
               SELECT 1 FROM register_measures b
                WHERE b.person_id = n.person_id AND b.type = 'ban_places_with_minors' AND b.status = 'active'
                  AND b.starts_on <= (now() AT TIME ZONE 'Europe/Belgrade')::date
                  AND b.ends_on >= (now() AT TIME ZONE 'Europe/Belgrade')::date)
         AND ${where.sql}`;
    return this.pages.page<ProximityItem, ProximityRow>(audit, sql, params, new Keyset(BY_DISTANCE, query), (row) => ({
      personId: row.person_id,
      surname: row.surname,
      givenNames: row.given_names,
      distanceMetres: Number(row.distance_m),
      location: { kind: row.location, id: row.location_id },
      place: { id: row.place_id, kind: row.place_kind, name: row.place_name, address: row.place_address },
      placesWithin: Number(row.places_within),
    }));
  }

  /**
   * `metres` within PROXIMITY_MAX_METRES (else 400), and within the stored
   * pairs' reach (else 503 until an operator runs `proximity:rebuild`): read
   * once, again only while it falls short.
   */
  private async assertWithinReach(metres: number): Promise<void> {
    const max = this.config.compliance.proximityMaxMetres;
    if (metres > max) {
      throw DomainError.validation([{ field: 'metres', message: `metres must not be greater than ${max}` }]);
    }
    if (this.reach === null || this.reach < metres) {
      const [row]: { metres: number }[] = await this.dataSource.query(`SELECT metres FROM register_proximity_reach`);
      this.reach = row?.metres ?? 0;
    }
    if (this.reach < metres) {
      throw DomainError.unavailable(
        `The stored person-place pairs reach ${this.reach} m; an operator must run proximity:rebuild.`,
      );
    }
  }
}
