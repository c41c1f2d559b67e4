import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { EntityManager } from 'typeorm';
import {
  AppConfig,
  DomainError,
  type FieldError,
  Keyset,
  type KeysetColumn,
  type Page,
  toFieldErrors,
  versionMismatch,
} from '@app/common';
import { AuditLog, type RequestAudit } from '@app/audit';
import { CreatePlaceDto, type PlaceQuery, type UpdatePlaceDto } from './dto/place.dto';
import { Place, PLACE_KINDS, type PlaceKind } from './entities/place.entity';
import { parseCsv } from './places/csv';
import { recordReferenceChange } from './reference.service';
import { sentFields } from './sent-fields';

export class PlaceView {
  @ApiProperty({ format: 'uuid', example: 'c2f1a7d4-5b3e-4f6a-8d9c-1e2f3a4b5c6d' })
  id!: string;

  @ApiProperty({ description: "The source list's own id", example: 'NIS-OS-014' })
  externalId!: string;

  @ApiProperty({ enum: PLACE_KINDS, example: 'school' })
  kind!: PlaceKind;

  @ApiProperty({ example: 'OŠ „Vožd Karađorđe”' })
  name!: string;

  @ApiProperty({ example: 'Obrenovićeva 20, Niš' })
  address!: string;

  @ApiProperty({ example: 43.3215 })
  latitude!: number;

  @ApiProperty({ example: 21.8962 })
  longitude!: number;

  @ApiProperty({ example: true })
  active!: boolean;

  @ApiProperty({ example: 1 })
  version!: number;
}

export const toPlaceView = (p: Place): PlaceView => ({
  id: p.id,
  externalId: p.externalId,
  kind: p.kind,
  name: p.name,
  address: p.address,
  latitude: p.latitude,
  longitude: p.longitude,
  active: p.active,
  version: p.version,
});

/** The columns of an import file, in any order (a header line names them). */
export const PLACE_CSV_COLUMNS = ['external_id', 'kind', 'name', 'address', 'latitude', 'longitude'] as const;

/** A row of an import file that was not imported, and why. */
export interface RefusedRow {
  line: number;
  externalId: string | null;
  reasons: string[];
}

export interface PlaceImportReport {
  created: number;
  updated: number;
  unchanged: number;
  refused: RefusedRow[];
}

const BY_NAME: KeysetColumn[] = [
  // In parentheses: TypeORM would take a bare `p.name` for the entity's column and drop it from the entity.
  { sql: '(p.name)', kind: 'text' },
  { sql: 'p.id', kind: 'uuid' },
];

/** The fields an import compares and writes (everything but the id, `active` and the version). */
const IMPORTED = ['kind', 'name', 'address', 'latitude', 'longitude'] as const;

/** A number as a CSV writes it: decimal point, optional sign; anything else (`43,3`, `12e3`, empty) is not one. */
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/**
 * Places where minors gather: reference data that admins edit and
 * operators import, each change with a `reference_history` row (kind
 * `place`, key the place's id) in the transaction of the change and its
 * audit event.
 */
@Injectable()
export class PlacesService {
  constructor(
    private readonly log: AuditLog,
    private readonly config: AppConfig,
  ) {}

  list(audit: RequestAudit, query: PlaceQuery): Promise<Page<PlaceView>> {
    audit.on('place');
    return this.log.transaction(audit, async (manager) => {
      const q = manager.getRepository(Place).createQueryBuilder('p');
      if (query.kind) q.andWhere('p.kind = :kind', { kind: query.kind });
      if (query.active) q.andWhere('p.active = :active', { active: query.active === 'true' });
      const page = await new Keyset(BY_NAME, query).pageOf(q, toPlaceView);
      audit.resultCount = page.items.length;
      return page;
    });
  }

  create(audit: RequestAudit, input: CreatePlaceDto): Promise<PlaceView> {
    audit.on('place');
    return this.log.transaction(audit, async (manager) => {
      const repository = manager.getRepository(Place);
      if (await repository.existsBy({ externalId: input.externalId })) {
        throw DomainError.conflict(`A place with the external id ${input.externalId} exists; change it with PATCH.`);
      }
      const place = await repository.save(repository.create({ ...input }));
      audit.on('place', place.id);
      return recordReferenceChange(manager, audit, 'place', place.id, null, toPlaceView(place));
    });
  }

  update(audit: RequestAudit, id: string, version: number, changes: UpdatePlaceDto): Promise<PlaceView> {
    audit.on('place', id);
    return this.log.transaction(audit, async (manager) => {
      const repository = manager.getRepository(Place);
      const place = await repository.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!place) throw DomainError.notFound('No such place.');
      if (place.version !== version) throw versionMismatch();
      const errors: FieldError[] = Object.entries(changes)
        .filter(([, value]) => value === null)
        .map(([field]) => ({ field, message: 'may not be empty' }));
      if (errors.length > 0) throw DomainError.validation(errors);
      const before = toPlaceView(place);
      Object.assign(place, sentFields(changes));
      const saved = await repository.save(place);
      return recordReferenceChange(manager, audit, 'place', id, before, toPlaceView(saved));
    });
  }

  /**
   * Imports a CSV file of places (header: PLACE_CSV_COLUMNS, in any order)
   * in one transaction: a new external id is created, a known one updated
   * when a field differs (and reactivated), an identical one left alone, so
   * that importing the same file again changes nothing. A row that fails the
   * API's own checks is refused with its line and reasons; the others are
   * imported. A file that cannot be read as such (no header, a missing
   * column, broken quoting) is refused as a whole.
   */
  async import(audit: RequestAudit, text: string): Promise<PlaceImportReport> {
    audit.on('place');
    const rows = readPlaceRows(text);
    return this.log.transaction(audit, async (manager) => {
      const report: PlaceImportReport = { created: 0, updated: 0, unchanged: 0, refused: [] };
      for (const row of rows) {
        if ('reasons' in row) {
          report.refused.push(row);
          continue;
        }
        report[await this.upsert(manager, audit, row.place)] += 1;
      }
      audit.resultCount = report.created + report.updated;
      audit.details = {
        created: report.created,
        updated: report.updated,
        unchanged: report.unchanged,
        refused: report.refused.length,
      };
      return report;
    });
  }

  /**
   * Recomputes every person-place pair within PROXIMITY_MAX_METRES (the
   * proximity list's maximum), which becomes the pairs' reach: after that
   * setting changes, or to repair. One transaction; the writes of locations
   * and places wait for it (SQL `proximity_pairs_rebuild`, migration
   * ProximityPairs).
   */
  rebuildProximityPairs(audit: RequestAudit): Promise<ProximityRebuild> {
    audit.on('place');
    const metres = this.config.compliance.proximityMaxMetres;
    return this.log.transaction(audit, async (manager) => {
      // Longer than a request may take: about a minute at 100,000 persons and 20,000 places.
      await manager.query(`SET LOCAL statement_timeout = 0`);
      const [{ pairs }]: { pairs: string }[] = await manager.query(`SELECT proximity_pairs_rebuild($1) AS pairs`, [
        metres,
      ]);
      audit.resultCount = Number(pairs);
      audit.details = { metres, pairs: Number(pairs) };
      return { metres, pairs: Number(pairs) };
    });
  }

  private async upsert(
    manager: EntityManager,
    audit: RequestAudit,
    input: CreatePlaceDto,
  ): Promise<'created' | 'updated' | 'unchanged'> {
    const repository = manager.getRepository(Place);
    const place = await repository.findOne({
      where: { externalId: input.externalId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!place) {
      const created = await repository.save(repository.create({ ...input, active: true }));
      await recordReferenceChange(manager, audit, 'place', created.id, null, toPlaceView(created));
      return 'created';
    }
    if (place.active && IMPORTED.every((field) => place[field] === input[field])) return 'unchanged';
    const before = toPlaceView(place);
    Object.assign(place, Object.fromEntries(IMPORTED.map((field) => [field, input[field]])), { active: true });
    const saved = await repository.save(place);
    await recordReferenceChange(manager, audit, 'place', place.id, before, toPlaceView(saved));
    return 'updated';
  }
}

/** What `proximity:rebuild` did: the reach the pairs now cover and how many there are. */
export interface ProximityRebuild {
  metres: number;
  pairs: number;
}

/** The rows of an import file: each a place the API would accept, or the reasons it would not. */
export function readPlaceRows(text: string): ({ line: number; place: CreatePlaceDto } | RefusedRow)[] {
  let records;
  try {
    records = parseCsv(text);
  } catch (error) {
    throw DomainError.validation([{ field: 'file', message: (error as Error).message }]);
  }
  const [header, ...data] = records;
  if (!header) throw DomainError.validation([{ field: 'file', message: 'is empty (a header line is needed)' }]);
  const names = header.fields.map((name) => name.trim().toLowerCase());
  const missing = PLACE_CSV_COLUMNS.filter((column) => !names.includes(column));
  if (missing.length > 0) {
    throw DomainError.validation([{ field: 'file', message: `the header lacks the columns ${missing.join(', ')}` }]);
  }
  const seen = new Map<string, number>();
  return data.map((record) => {
    const cell = (column: string) => (record.fields[names.indexOf(column)] ?? '').trim();
    const externalId = cell('external_id') || null;
    const reasons: string[] = [];
    if (record.fields.length !== names.length) {
      reasons.push(`has ${record.fields.length} fields, the header ${names.length}`);
    }
    const number = (column: 'latitude' | 'longitude'): number | string => {
      const value = cell(column);
      if (!DECIMAL.test(value)) {
        reasons.push(`${column} must be a decimal number such as 43.3209`);
        return value;
      }
      return Number(value);
    };
    const raw = {
      externalId: cell('external_id'),
      kind: cell('kind'),
      name: cell('name'),
      address: cell('address'),
      latitude: number('latitude'),
      longitude: number('longitude'),
    };
    const instance = plainToInstance(CreatePlaceDto, raw);
    const errors = toFieldErrors(validateSync(instance, { validationError: { target: false, value: false } }));
    reasons.push(
      ...errors
        // A value that is not a number at all was named above.
        .filter(
          (e) => !(typeof raw[e.field as keyof typeof raw] === 'string' && ['latitude', 'longitude'].includes(e.field)),
        )
        .map((e) => e.message),
    );
    if (externalId !== null) {
      const first = seen.get(externalId);
      if (first !== undefined) reasons.push(`external_id ${externalId} is on line ${first} already`);
      else seen.set(externalId, record.line);
    }
    return reasons.length > 0 ? { line: record.line, externalId, reasons } : { line: record.line, place: instance };
  });
}

/** A place named by a record (a breach's `placeId`) must be one of the reference data: else 400 naming it. */
export async function assertKnownPlace(manager: EntityManager, placeId: string | null | undefined): Promise<void> {
  if (!placeId) return;
  if (await manager.getRepository(Place).existsBy({ id: placeId })) return;
  throw DomainError.validation([{ field: 'placeId', message: 'is not a known place (GET /reference/places)' }]);
}
