import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  DataSource,
  type EntityManager,
  type EntityTarget,
  type FindOptionsWhere,
  In,
  type ObjectLiteral,
} from 'typeorm';
import {
  AppConfig,
  belgradeToday,
  decodeCursor,
  DEFAULT_PAGE_SIZE,
  DomainError,
  type FieldError,
  isRealDate,
  keysetTime,
  type Page,
  toPage,
  versionMismatch,
} from '@app/common';
import { AbilityFactory, type AppAbility, positionalScope, type Principal, sqlScope } from '@app/authz';
import { AuditLog, type RequestAudit } from '@app/audit';
import { ComplianceService, type ComplianceStatus } from '@app/compliance';
import { User } from '@app/identity';
import { Address } from './entities/address.entity';
import { Conviction } from './entities/conviction.entity';
import { DnaReference } from './entities/dna-reference.entity';
import { Measure } from './entities/measure.entity';
import { PersonHistoryEntry } from './entities/person-history.entity';
import { Photo } from './entities/photo.entity';
import { PhysicalDescription } from './entities/physical-description.entity';
import { Workplace } from './entities/workplace.entity';
import { fromJsonRow, fromJsonRows } from './rows';
import { Person } from './entities/person.entity';
import type { CreatePersonDto, PersonQuery, UpdatePersonDto } from './dto/person.dto';
import { jmbgErrors } from './jmbg';
import { personNotFound, PersonRecords, sentFields } from './person-records';
import { searchKey } from './names';
import { AddressesService, toAddressView } from './addresses.service';
import { ConvictionsService } from './convictions.service';
import { MeasuresService, toMeasureView } from './measures.service';
import { toWorkplaceView, WorkplacesService } from './workplaces.service';
import { PhotosService, toPhotoView } from './photos.service';
import { descriptionView, dnaView, PersonDetailsService } from './person-details.service';
import {
  NO_PARTS,
  type PersonListItem,
  personalData,
  type PersonParts,
  type PersonView,
  toPersonView,
} from './person.views';

const PERSON_COLUMNS = { regions: { sql: 'p.regions', array: true } };
/** The same scope on a person's name words, which carry the person's regions. */
const WORD_COLUMNS = { regions: { sql: 'w.regions', array: true } };

export interface HistoryItem {
  at: string;
  actor: Record<string, unknown>;
  reason: string | null;
  change: string;
  part: string;
  partId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** The names a person is searched by, folded into one key (and the surname's own, for ranking). */
function keysOf(person: Pick<Person, 'surname' | 'givenNames' | 'aliases'>): Pick<Person, 'searchKey' | 'surnameKey'> {
  return {
    surnameKey: searchKey(person.surname),
    searchKey: [person.surname, person.givenNames, ...person.aliases].map(searchKey).join(' | '),
  };
}

type JsonRow = Record<string, unknown>;

/** What the person read returns: rows as PostgreSQL's JSON. */
interface PersonRow {
  person: JsonRow;
  addresses: JsonRow[] | null;
  workplace: JsonRow | null;
  description: JsonRow | null;
  dna: JsonRow | null;
  convictions: JsonRow[] | null;
  measures: JsonRow[] | null;
  photos: JsonRow[] | null;
  compliance: { status: ComplianceStatus; next_due_at: string | null; last_check_in_at: string | null };
}

@Injectable()
export class PersonsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: AuditLog,
    private readonly abilities: AbilityFactory,
    private readonly config: AppConfig,
    private readonly records: PersonRecords,
    private readonly addresses: AddressesService,
    private readonly details: PersonDetailsService,
    private readonly convictions: ConvictionsService,
    private readonly measures: MeasuresService,
    private readonly workplaces: WorkplacesService,
    private readonly photos: PhotosService,
    private readonly compliance: ComplianceService,
  ) {}

  async create(audit: RequestAudit, input: CreatePersonDto): Promise<PersonView> {
    audit.on('person');
    const state = {
      surname: input.surname,
      givenNames: input.givenNames,
      parentNames: input.parentNames ?? null,
      jmbg: input.jmbg ?? null,
      idDocumentType: input.identityDocument?.type ?? null,
      idDocumentNumber: input.identityDocument?.number ?? null,
      idDocumentCountry: input.identityDocument?.issuingCountry ?? null,
      dateOfBirth: input.dateOfBirth,
      placeOfBirth: input.placeOfBirth,
      sex: input.sex,
      citizenship: input.citizenship,
      aliases: input.aliases ?? [],
      managingOfficerId: input.managingOfficerId ?? null,
    };
    return this.log.transaction(audit, async (manager) => {
      await this.assertValid(manager, state);
      await this.assertUnique(manager, state, null);
      const repository = manager.getRepository(Person);
      const person = await repository.save(repository.create({ ...state, ...keysOf(state), regions: [] }));
      audit.on('person', person.id).subject(person.id);
      await this.records.recordHistory(manager, audit, {
        personId: person.id,
        part: 'person',
        partId: person.id,
        change: 'create',
        before: null,
        after: personalData(person),
      });
      return toPersonView(person, NO_PARTS);
    });
  }

  /**
   * The hot path: the person with every part and the compliance, and the
   * audit event, in one statement. The caller's scope is in the SQL, so the
   * event's outcome (allowed, denied out of scope, error when absent) is
   * decided by the query that found the person.
   */
  async get(audit: RequestAudit, principal: Principal, id: string): Promise<PersonView> {
    audit.on('person', id);
    const ability = this.abilities.createForPrincipal(principal);
    const scope = positionalScope(
      sqlScope(ability, 'read', 'Person', { regions: { sql: 'f.regions', array: true } }),
      3,
    );
    const withDna = ability.can('read', 'DnaReference');
    const { outcome, answer } = await this.log.readWithEvent<PersonRow>(audit, {
      ctes: `found AS (SELECT * FROM persons WHERE id = $1),
             visible AS (SELECT f.* FROM found f WHERE ${scope.sql})`,
      params: [id, this.config.compliance.graceHours, this.config.compliance.dueSoonDays, ...scope.params],
      decide: {
        subjects: 'ARRAY(SELECT id FROM found)',
        outcome: `CASE WHEN EXISTS (SELECT 1 FROM visible) THEN 'allowed'
                       WHEN EXISTS (SELECT 1 FROM found) THEN 'denied' ELSE 'error' END`,
        status: 'CASE WHEN EXISTS (SELECT 1 FROM visible) THEN 200 ELSE 404 END',
        resultCount: 'SELECT count(*) FROM visible',
      },
      answer: `SELECT json_build_object(
        'person', row_to_json(v),
        'addresses', (SELECT json_agg(a) FROM addresses a WHERE a.person_id = v.id AND a.valid_to IS NULL),
        'workplace', (SELECT row_to_json(w) FROM workplaces w WHERE w.person_id = v.id AND w.valid_to IS NULL),
        'description', (SELECT row_to_json(d) FROM physical_descriptions d WHERE d.person_id = v.id),
        'dna', ${withDna ? '(SELECT row_to_json(r) FROM dna_references r WHERE r.person_id = v.id)' : 'NULL'},
        'convictions', (SELECT json_agg(c ORDER BY c.judgment_date, c.id) FROM convictions c WHERE c.person_id = v.id),
        'measures', (SELECT json_agg(m ORDER BY m.starts_on, m.id) FROM measures m WHERE m.person_id = v.id),
        'photos', (SELECT json_agg(x ORDER BY x.taken_at DESC, x.id DESC) FROM (
                     SELECT id, person_id, content_type, size_bytes, sha256, taken_at FROM photos
                      WHERE person_id = v.id) x),
        'compliance', (SELECT row_to_json(k) FROM person_compliance(v.id, now(), $2, $3) k))
        FROM visible v`,
    });
    if (outcome !== 'allowed' || !answer) throw personNotFound();
    return this.viewOfRow(answer, withDna);
  }

  private viewOfRow(row: PersonRow, withDna: boolean): PersonView {
    const manager = this.dataSource.manager;
    const addresses = fromJsonRows(manager, Address, row.addresses);
    const current = (kind: string) => addresses.find((a) => a.kind === kind);
    const permanent = current('permanent');
    const temporary = current('temporary');
    const one = <E extends ObjectLiteral, V>(
      entity: EntityTarget<E>,
      value: Record<string, unknown> | null,
      view: (e: E) => V,
    ) => (value ? view(fromJsonRow(manager, entity, value)) : null);
    return toPersonView(fromJsonRow(manager, Person, row.person), {
      currentAddresses: {
        permanent: permanent ? toAddressView(permanent) : null,
        temporary: temporary ? toAddressView(temporary) : null,
      },
      currentWorkplace: one(Workplace, row.workplace, toWorkplaceView),
      physicalDescription: one(PhysicalDescription, row.description, descriptionView),
      ...(withDna ? { dnaReference: one(DnaReference, row.dna, dnaView) } : {}),
      convictions: fromJsonRows(manager, Conviction, row.convictions).map((c) => this.convictions.view(c)),
      measures: fromJsonRows(manager, Measure, row.measures).map(toMeasureView),
      photos: fromJsonRows(manager, Photo, row.photos).map(toPhotoView),
      compliance: {
        status: row.compliance.status,
        nextDueAt: row.compliance.next_due_at ? new Date(row.compliance.next_due_at) : null,
        lastCheckInAt: row.compliance.last_check_in_at ? new Date(row.compliance.last_check_in_at) : null,
      },
    });
  }

  async search(audit: RequestAudit, principal: Principal, query: PersonQuery): Promise<Page<PersonListItem>> {
    audit.on('person');
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const ability = this.abilities.createForPrincipal(principal);
    const key = query.q ? searchKey(query.q) : null;
    if (query.q && (!key || key.length < 2)) {
      throw DomainError.validation([{ field: 'q', message: 'must contain at least two letters or digits' }]);
    }
    return this.log.transaction(audit, async (manager) => {
      const found = key
        ? await this.byName(manager, ability, key, query, limit)
        : await this.byFilters(manager, ability, query, limit);
      const statuses = await this.compliance.statusesOf(
        manager,
        found.slice(0, limit).map(({ person }) => person.id),
      );
      const page = toPage(
        found,
        limit,
        ({ person }) => ({
          id: person.id,
          surname: person.surname,
          givenNames: person.givenNames,
          dateOfBirth: person.dateOfBirth,
          compliance: { status: statuses.get(person.id) ?? 'none' },
        }),
        (row) => row.position,
      );
      audit.resultCount = page.items.length;
      audit.subject(...page.items.map((item) => item.id));
      return page;
    });
  }

  /**
   * Persons with a name word containing the longest term, closest word first
   * (trigram similarity; an exact word scores 1), then by id. The ranking
   * runs on `person_name_words` (word, person, regions), so the scope and the
   * region filter apply there; the other terms, `jmbg` and `status` need the
   * person's row.
   */
  private async byName(
    manager: EntityManager,
    ability: AppAbility,
    key: string,
    query: PersonQuery,
    limit: number,
  ): Promise<{ person: Person; position: unknown[] }[]> {
    const [term, ...others] = key.split(' ').sort((a, b) => b.length - a.length);
    const contains = (text: string) => `%${text.replace(/[\\%_]/g, '\\$&')}%`;
    const scope = sqlScope(ability, 'read', 'Person', WORD_COLUMNS);
    const params: Record<string, unknown> = { ...scope.params, term, pattern: contains(term), limit: limit + 1 };
    const conditions = [scope.sql];
    if (query.region) {
      conditions.push(':region = ANY(w.regions)');
      params.region = query.region;
    }
    const onPerson: string[] = [];
    others.forEach((other, i) => {
      onPerson.push(`p.search_key LIKE :other${i}`);
      params[`other${i}`] = contains(other);
    });
    if (query.jmbg) {
      onPerson.push('p.jmbg = :jmbg');
      params.jmbg = query.jmbg;
    }
    if (query.status) {
      const condition = this.compliance.statusCondition('p', query.status as ComplianceStatus);
      onPerson.push(condition.sql);
      Object.assign(params, condition.params);
    }
    if (onPerson.length > 0) {
      conditions.push(`EXISTS (SELECT 1 FROM persons p WHERE p.id = w.person_id AND ${onPerson.join(' AND ')})`);
    }
    let after = '';
    if (query.cursor) {
      const [score, id] = decodeCursor(query.cursor, ['number', 'uuid']);
      after = 'HAVING max(m.score) < :cScore::real OR (max(m.score) = :cScore::real AND w.person_id > :cId::uuid)';
      Object.assign(params, { cScore: score, cId: id });
    }
    const [sql, values] = manager.connection.driver.escapeQueryWithParameters(
      // Materialised: each dictionary word is scored once, not once per person having it.
      `WITH m AS MATERIALIZED (
         SELECT n.word, similarity(n.word, :term) AS score FROM name_words n WHERE n.word LIKE :pattern)
       SELECT w.person_id AS id, max(m.score) AS score
         FROM person_name_words w JOIN m ON m.word = w.word
        WHERE ${conditions.join(' AND ')}
        GROUP BY w.person_id ${after}
        ORDER BY score DESC, w.person_id
        LIMIT :limit`,
      params,
    );
    const ranked: { id: string; score: number }[] = await manager.query(sql, values);
    const persons = new Map(
      (await manager.getRepository(Person).findBy({ id: In(ranked.map((r) => r.id)) })).map((p) => [p.id, p]),
    );
    return ranked.map(({ id, score }) => ({ person: persons.get(id) as Person, position: [score, id] }));
  }

  /** Persons by `jmbg`, `region` and `status` alone, by surname. */
  private async byFilters(
    manager: EntityManager,
    ability: AppAbility,
    query: PersonQuery,
    limit: number,
  ): Promise<{ person: Person; position: unknown[] }[]> {
    const scope = sqlScope(ability, 'read', 'Person', PERSON_COLUMNS);
    const q = manager.getRepository(Person).createQueryBuilder('p').where(scope.sql, scope.params);
    if (query.jmbg) q.andWhere('p.jmbg = :jmbg', { jmbg: query.jmbg });
    if (query.region) q.andWhere(':region = ANY(p.regions)', { region: query.region });
    if (query.status) {
      const condition = this.compliance.statusCondition('p', query.status as ComplianceStatus);
      q.andWhere(condition.sql, condition.params);
    }
    q.orderBy('p.surname_key', 'ASC').addOrderBy('p.id', 'ASC');
    if (query.cursor) {
      const [surname, id] = decodeCursor(query.cursor, ['text', 'uuid']);
      q.andWhere('(p.surname_key, p.id) > (:cSurname, :cId)', { cSurname: surname, cId: id });
    }
    const persons = await q.limit(limit + 1).getMany();
    return persons.map((person) => ({ person, position: [person.surnameKey, person.id] }));
  }

  async update(audit: RequestAudit, id: string, version: number, changes: UpdatePersonDto): Promise<PersonView> {
    audit.on('person', id).subject(id);
    return this.log.transaction(audit, async (manager) => {
      const repository = manager.getRepository(Person);
      const person = await this.records.find(manager, id, true);
      if (person.version !== version) throw versionMismatch();
      const before = personalData(person);
      const document =
        changes.identityDocument === undefined
          ? {}
          : {
              idDocumentType: changes.identityDocument?.type ?? null,
              idDocumentNumber: changes.identityDocument?.number ?? null,
              idDocumentCountry: changes.identityDocument?.issuingCountry ?? null,
            };
      // Only the fields sent: a DTO instance carries the others as undefined.
      const { identityDocument: _document, ...rest } = changes;
      Object.assign(person, sentFields(rest), document);
      await this.assertValid(manager, person);
      await this.assertUnique(manager, person, person.id);
      Object.assign(person, keysOf(person));
      const saved = await repository.save(person);
      await this.records.recordHistory(manager, audit, {
        personId: id,
        part: 'person',
        partId: id,
        change: 'update',
        before,
        after: personalData(saved),
      });
      return toPersonView(saved, await this.partsOf(manager, saved.id, true));
    });
  }

  async history(audit: RequestAudit, id: string, limit = 100, cursor?: string): Promise<Page<HistoryItem>> {
    audit.on('person', id).subject(id);
    return this.log.transaction(audit, async (manager) => {
      await this.records.find(manager, id);
      const q = manager
        .getRepository(PersonHistoryEntry)
        .createQueryBuilder('h')
        .addSelect(keysetTime('h.at'), 'position_at')
        .where('h.person_id = :id', { id })
        .orderBy('h.at', 'DESC')
        .addOrderBy('h.id', 'DESC')
        .limit(limit + 1);
      if (cursor) {
        const [at, entry] = decodeCursor(cursor, ['time', 'uuid']);
        q.andWhere('(h.at, h.id) < (:at, :entry)', { at, entry });
      }
      const { entities, raw } = await q.getRawAndEntities();
      const page = toPage(
        entities.map((h, i) => Object.assign(h, { position: raw[i].position_at as string })),
        limit,
        (h) => ({
          at: h.at.toISOString(),
          actor: h.actor,
          reason: h.reason,
          change: h.change,
          part: h.part,
          partId: h.partId,
          before: h.before,
          after: h.after,
        }),
        (h) => [h.position, h.id],
      );
      audit.resultCount = page.items.length;
      return page;
    });
  }

  /**
   * The cross-region lookup: only whether the JMBG is registered and which
   * measures are active. Always a flagged event.
   */
  async lookup(
    audit: RequestAudit,
    jmbg: string,
  ): Promise<{ registered: boolean; activeMeasures: string[]; banPlacesWithMinors: boolean }> {
    audit.on('person');
    audit.flagged = true;
    return this.log.transaction(audit, async (manager) => {
      const person = await manager.getRepository(Person).findOne({ where: { jmbg }, select: { id: true } });
      audit.resultCount = person ? 1 : 0;
      if (!person) return { registered: false, activeMeasures: [], banPlacesWithMinors: false };
      audit.on('person', person.id).subject(person.id);
      const today = belgradeToday();
      const rows: { type: string }[] = await manager.query(
        `SELECT DISTINCT type FROM measures
          WHERE person_id = $1 AND status = 'active' AND starts_on <= $2 AND ends_on >= $2 ORDER BY type`,
        [person.id, today],
      );
      const activeMeasures = rows.map((row) => row.type);
      return {
        registered: true,
        activeMeasures,
        banPlacesWithMinors: activeMeasures.includes('ban_places_with_minors'),
      };
    });
  }

  private async partsOf(manager: EntityManager, personId: string, withDna: boolean): Promise<PersonParts> {
    return {
      currentAddresses: await this.addresses.current(manager, personId),
      currentWorkplace: await this.workplaces.current(manager, personId),
      physicalDescription: await this.details.physicalDescriptionOf(manager, personId),
      convictions: await this.convictions.ofPerson(manager, personId),
      measures: await this.measures.ofPerson(manager, personId),
      photos: await this.photos.ofPerson(manager, personId),
      ...(withDna ? { dnaReference: await this.details.dnaReferenceOf(manager, personId) } : {}),
      compliance: await this.compliance.ofPerson(manager, personId),
    };
  }

  private async assertValid(
    manager: EntityManager,
    person: Pick<Person, 'jmbg' | 'idDocumentNumber' | 'citizenship' | 'dateOfBirth' | 'sex' | 'managingOfficerId'>,
  ): Promise<void> {
    const errors: FieldError[] = [];
    if (!isRealDate(person.dateOfBirth)) {
      errors.push({ field: 'dateOfBirth', message: 'is not a real date' });
    } else if (person.dateOfBirth > belgradeToday()) {
      errors.push({ field: 'dateOfBirth', message: 'must not be in the future' });
    }
    if (person.jmbg) {
      for (const message of jmbgErrors(person.jmbg, person, this.config.register.jmbgRemainderOne)) {
        errors.push({ field: 'jmbg', message });
      }
    } else if (person.citizenship === 'RS') {
      errors.push({ field: 'jmbg', message: 'is required for Serbian citizens' });
    } else if (!person.idDocumentNumber) {
      errors.push({ field: 'identityDocument', message: 'is required without a JMBG' });
    }
    if (person.managingOfficerId) {
      const officer = await manager
        .getRepository(User)
        .findOneBy({ id: person.managingOfficerId, role: 'police_officer', active: true });
      if (!officer) errors.push({ field: 'managingOfficerId', message: 'is not an active police officer' });
    }
    if (errors.length > 0) throw DomainError.validation(errors);
  }

  private async assertUnique(
    manager: EntityManager,
    person: Pick<Person, 'jmbg' | 'idDocumentType' | 'idDocumentNumber' | 'idDocumentCountry'>,
    exceptId: string | null,
  ): Promise<void> {
    const repository = manager.getRepository(Person);
    const others = async (where: FindOptionsWhere<Person>) =>
      (await repository.find({ where, select: { id: true } })).some((p) => p.id !== exceptId);
    if (person.jmbg && (await others({ jmbg: person.jmbg }))) {
      throw DomainError.conflict('A person with this JMBG is already registered.');
    }
    if (
      person.idDocumentNumber &&
      (await others({
        idDocumentType: person.idDocumentType ?? undefined,
        idDocumentNumber: person.idDocumentNumber,
        idDocumentCountry: person.idDocumentCountry ?? undefined,
      }))
    ) {
      throw DomainError.conflict('A person with this identity document is already registered.');
    }
  }
}
