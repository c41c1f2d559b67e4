import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { type EntityManager, In } from 'typeorm';
import { DomainError, type FieldError, Keyset, type KeysetColumn, type Page, versionMismatch } from '@app/common';
import { AuditLog, type RequestAudit } from '@app/audit';
import { PoliceAdministration, UiksOffice } from '@app/identity';
import type {
  CreateCounsellingInstitutionDto,
  CreateOffenceDto,
  CreateUiksOfficeDto,
  ReferenceHistoryQuery,
  UpdateCounsellingInstitutionDto,
  UpdateOffenceDto,
  UpdateUiksOfficeDto,
} from './dto/reference.dto';
import { CounsellingInstitution } from './entities/counselling-institution.entity';
import { Offence } from './entities/offence.entity';
import { ReferenceHistoryEntry, type ReferenceKind } from './entities/reference-history.entity';
import { COUNTRIES, type CountryView } from './countries';
import { MEASURE_TYPES } from './measure-types';
import { ChangeView } from './change.view';

export interface ReferenceList<T> {
  items: T[];
}

export class PoliceAdministrationView {
  @ApiProperty({ example: 'PU-NIS' })
  code!: string;

  @ApiProperty({ example: 'Policijska uprava u Nišu' })
  name!: string;
}

export class MeasureTypeView {
  @ApiProperty({ enum: MEASURE_TYPES.map((m) => m.type), example: 'periodic_reporting' })
  type!: string;

  @ApiProperty({ example: 'Report in person to the competent police administration and to UIKS' })
  description!: string;
}

export class UiksOfficeView {
  @ApiProperty({ example: 'UIKS-NIS' })
  code!: string;

  @ApiProperty({ example: 'Uprava za izvršenje krivičnih sankcija, Niš' })
  name!: string;

  @ApiProperty({ type: [String], example: ['PU-NIS', 'PU-PIROT'] })
  policeAdministrations!: string[];

  @ApiProperty({ example: true })
  active!: boolean;

  @ApiProperty({ example: 1 })
  version!: number;
}

export class OffenceView {
  @ApiProperty({ description: 'Article of the Criminal Code', example: '180' })
  article!: string;

  @ApiProperty({ example: 'Obljuba sa detetom' })
  title!: string;

  @ApiProperty({ type: [Number], example: [1, 2, 3] })
  paragraphs!: number[];

  @ApiProperty({ description: 'Only when the victim is a minor', example: true })
  juvenileOnly!: boolean;

  @ApiProperty({ example: 1 })
  version!: number;
}

export class ReferenceHistoryItem extends ChangeView {}

export class CounsellingInstitutionView {
  @ApiProperty({ example: 'CSR-NIS' })
  code!: string;

  @ApiProperty({ example: 'Centar za socijalni rad „Sveti Sava” Niš' })
  name!: string;

  @ApiProperty({ example: 'Niš' })
  city!: string;

  @ApiProperty({ example: true })
  active!: boolean;

  @ApiProperty({ example: 1 })
  version!: number;
}

const toInstitutionView = (i: CounsellingInstitution): CounsellingInstitutionView => ({
  code: i.code,
  name: i.name,
  city: i.city,
  active: i.active,
  version: i.version,
});

const toOfficeView = (o: UiksOffice): UiksOfficeView => ({
  code: o.code,
  name: o.name,
  policeAdministrations: o.policeAdministrations,
  active: o.active,
  version: o.version,
});

const toOffenceView = (o: Offence): OffenceView => ({
  article: o.article,
  title: o.title,
  paragraphs: o.paragraphs,
  juvenileOnly: o.juvenileOnly,
  version: o.version,
});

const NEWEST_FIRST: KeysetColumn[] = [
  { sql: 'h.at', kind: 'time', desc: true },
  { sql: 'h.id', kind: 'uuid', desc: true },
];

/** Articles in the Criminal Code's order: 180, 182, 182a, 185, 185a, 185b, 186, 388. */
const ARTICLE_ORDER = `(substring(article FROM '^[0-9]+'))::int, article`;

/** A change's fields that may not be cleared: null is refused like a missing value. */
function nullsRefused(changes: object): FieldError[] {
  return Object.entries(changes)
    .filter(([, value]) => value === null)
    .map(([field]) => ({ field, message: 'may not be empty' }));
}

/** The history row of a change, with the request's actor and access reason, and the audit's before and after. */
export async function recordReferenceChange<V extends object>(
  manager: EntityManager,
  audit: RequestAudit,
  kind: ReferenceKind,
  key: string,
  before: V | null,
  after: V,
): Promise<V> {
  await manager.query(
    `INSERT INTO reference_history (kind, key, actor, reason, change, before, after)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      kind,
      key,
      JSON.stringify(audit.actor ?? {}),
      audit.reason,
      before ? 'update' : 'create',
      before ? JSON.stringify(before) : null,
      JSON.stringify(after),
    ],
  );
  audit.details = before ? { before, after } : { after };
  return after;
}

/**
 * The register's reference data: police administrations, measure types, and
 * the kinds admins edit (UIKS offices, counselling institutions, the offence
 * catalogue), each
 * change with a `reference_history` row in the transaction of the change and
 * its audit event.
 */
@Injectable()
export class ReferenceService {
  constructor(private readonly log: AuditLog) {}

  policeAdministrations(audit: RequestAudit): Promise<ReferenceList<{ code: string; name: string }>> {
    return this.log.transaction(audit, async (manager) => ({
      items: await manager.query(`SELECT code, name FROM police_administrations ORDER BY name`),
    }));
  }

  offences(audit: RequestAudit): Promise<ReferenceList<OffenceView>> {
    return this.log.transaction(audit, async (manager) => {
      const offences = await manager.getRepository(Offence).createQueryBuilder().orderBy(ARTICLE_ORDER).getMany();
      return { items: offences.map(toOffenceView) };
    });
  }

  measureTypes(audit: RequestAudit): Promise<ReferenceList<(typeof MEASURE_TYPES)[number]>> {
    return this.log.transaction(audit, async () => ({ items: [...MEASURE_TYPES] }));
  }

  /** The countries by their Serbian names (a fixed list: read from the package, not the database). */
  countries(audit: RequestAudit): Promise<ReferenceList<CountryView>> {
    return this.log.transaction(audit, async () => ({ items: [...COUNTRIES] }));
  }

  uiksOffices(audit: RequestAudit): Promise<ReferenceList<UiksOfficeView>> {
    return this.log.transaction(audit, async (manager) => {
      const offices = await manager.getRepository(UiksOffice).find({ order: { code: 'ASC' } });
      return { items: offices.map(toOfficeView) };
    });
  }

  createOffice(audit: RequestAudit, input: CreateUiksOfficeDto): Promise<UiksOfficeView> {
    audit.on('uiks_office', input.code);
    return this.log.transaction(audit, async (manager) => {
      await this.assertAdministrations(manager, input.policeAdministrations);
      const repository = manager.getRepository(UiksOffice);
      if (await repository.existsBy({ code: input.code })) {
        throw DomainError.conflict(`The office ${input.code} exists; change it with PATCH.`);
      }
      const office = await repository.save(
        repository.create({ ...input, policeAdministrations: [...input.policeAdministrations].sort() }),
      );
      return recordReferenceChange(manager, audit, 'uiks_office', office.code, null, toOfficeView(office));
    });
  }

  updateOffice(
    audit: RequestAudit,
    code: string,
    version: number,
    changes: UpdateUiksOfficeDto,
  ): Promise<UiksOfficeView> {
    audit.on('uiks_office', code);
    return this.log.transaction(audit, async (manager) => {
      const repository = manager.getRepository(UiksOffice);
      const office = await repository.findOne({ where: { code }, lock: { mode: 'pessimistic_write' } });
      if (!office) throw DomainError.notFound('No such UIKS office.');
      if (office.version !== version) throw versionMismatch();
      const errors = nullsRefused(changes);
      if (errors.length > 0) throw DomainError.validation(errors);
      if (changes.policeAdministrations) await this.assertAdministrations(manager, changes.policeAdministrations);
      const before = toOfficeView(office);
      Object.assign(office, {
        name: changes.name ?? office.name,
        policeAdministrations: changes.policeAdministrations
          ? [...changes.policeAdministrations].sort()
          : office.policeAdministrations,
        active: changes.active ?? office.active,
      });
      const saved = await repository.save(office);
      return recordReferenceChange(manager, audit, 'uiks_office', code, before, toOfficeView(saved));
    });
  }

  counsellingInstitutions(audit: RequestAudit): Promise<ReferenceList<CounsellingInstitutionView>> {
    return this.log.transaction(audit, async (manager) => {
      const institutions = await manager.getRepository(CounsellingInstitution).find({ order: { code: 'ASC' } });
      return { items: institutions.map(toInstitutionView) };
    });
  }

  createInstitution(audit: RequestAudit, input: CreateCounsellingInstitutionDto): Promise<CounsellingInstitutionView> {
    audit.on('counselling_institution', input.code);
    return this.log.transaction(audit, async (manager) => {
      const repository = manager.getRepository(CounsellingInstitution);
      if (await repository.existsBy({ code: input.code })) {
        throw DomainError.conflict(`The institution ${input.code} exists; change it with PATCH.`);
      }
      const institution = await repository.save(repository.create(input));
      return recordReferenceChange(
        manager,
        audit,
        'counselling_institution',
        institution.code,
        null,
        toInstitutionView(institution),
      );
    });
  }

  updateInstitution(
    audit: RequestAudit,
    code: string,
    version: number,
    changes: UpdateCounsellingInstitutionDto,
  ): Promise<CounsellingInstitutionView> {
    audit.on('counselling_institution', code);
    return this.log.transaction(audit, async (manager) => {
      const repository = manager.getRepository(CounsellingInstitution);
      const institution = await repository.findOne({ where: { code }, lock: { mode: 'pessimistic_write' } });
      if (!institution) throw DomainError.notFound('No such counselling institution.');
      if (institution.version !== version) throw versionMismatch();
      const errors = nullsRefused(changes);
      if (errors.length > 0) throw DomainError.validation(errors);
      const before = toInstitutionView(institution);
      Object.assign(institution, {
        name: changes.name ?? institution.name,
        city: changes.city ?? institution.city,
        active: changes.active ?? institution.active,
      });
      const saved = await repository.save(institution);
      return recordReferenceChange(manager, audit, 'counselling_institution', code, before, toInstitutionView(saved));
    });
  }

  createOffence(audit: RequestAudit, input: CreateOffenceDto): Promise<OffenceView> {
    audit.on('offence', input.article);
    return this.log.transaction(audit, async (manager) => {
      const repository = manager.getRepository(Offence);
      if (await repository.existsBy({ article: input.article })) {
        throw DomainError.conflict(`Article ${input.article} is in the catalogue; change it with PATCH.`);
      }
      const offence = await repository.save(
        repository.create({ ...input, paragraphs: [...input.paragraphs].sort((a, b) => a - b) }),
      );
      return recordReferenceChange(manager, audit, 'offence', offence.article, null, toOffenceView(offence));
    });
  }

  updateOffence(
    audit: RequestAudit,
    article: string,
    version: number,
    changes: UpdateOffenceDto,
  ): Promise<OffenceView> {
    audit.on('offence', article);
    return this.log.transaction(audit, async (manager) => {
      const repository = manager.getRepository(Offence);
      const offence = await repository.findOne({ where: { article }, lock: { mode: 'pessimistic_write' } });
      if (!offence) throw DomainError.notFound('No such offence in the catalogue.');
      if (offence.version !== version) throw versionMismatch();
      const errors = nullsRefused(changes);
      if (errors.length > 0) throw DomainError.validation(errors);
      const before = toOffenceView(offence);
      Object.assign(offence, {
        title: changes.title ?? offence.title,
        paragraphs: changes.paragraphs ? [...changes.paragraphs].sort((a, b) => a - b) : offence.paragraphs,
        juvenileOnly: changes.juvenileOnly ?? offence.juvenileOnly,
      });
      const saved = await repository.save(offence);
      return recordReferenceChange(manager, audit, 'offence', article, before, toOffenceView(saved));
    });
  }

  /** The changes of one kind of reference data (of one office or article with `key`), newest first. */
  history(audit: RequestAudit, query: ReferenceHistoryQuery): Promise<Page<ReferenceHistoryItem>> {
    audit.on(query.kind, query.key ?? null);
    return this.log.transaction(audit, async (manager) => {
      const q = manager
        .getRepository(ReferenceHistoryEntry)
        .createQueryBuilder('h')
        .where('h.kind = :kind', { kind: query.kind });
      if (query.key) q.andWhere('h.key = :key', { key: query.key });
      const page = await new Keyset(NEWEST_FIRST, query).pageOf(q, (h) => ({
        at: h.at.toISOString(),
        actor: h.actor,
        reason: h.reason,
        change: h.change,
        before: h.before,
        after: h.after,
      }));
      audit.resultCount = page.items.length;
      return page;
    });
  }

  /** Unknown police administration codes are a 400 naming the field (the trigger refuses them too). */
  private async assertAdministrations(manager: EntityManager, codes: string[]): Promise<void> {
    const known = new Set(
      (await manager.getRepository(PoliceAdministration).findBy({ code: In(codes) })).map((a) => a.code),
    );
    const unknown = codes.filter((code) => !known.has(code));
    if (unknown.length > 0) {
      throw DomainError.validation([
        { field: 'policeAdministrations', message: `unknown police administration codes: ${unknown.join(', ')}` },
      ]);
    }
  }
}
