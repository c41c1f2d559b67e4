import { Injectable } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import { DomainError, Keyset, type KeysetColumn, type Page } from '@app/common';
import type { Principal } from '@app/authz';
import { AuditLog, type RequestAudit } from '@app/audit';
import { ComplianceService, type ComplianceStatus } from '@app/compliance';
import type { PersonQuery } from '../dto/person.dto';
import { Person } from '../entities/person.entity';
import { searchKey } from '../names';
import type { PersonListItem } from '../person.views';
import { PersonAccess } from './person-access';

/** Closest word first (an exact word scores 1), then by id. */
const BY_SCORE: KeysetColumn[] = [
  { sql: 'max(m.score)', kind: 'number', desc: true, cast: 'real' },
  { sql: 'w.person_id', kind: 'uuid' },
];
const BY_SURNAME: KeysetColumn[] = [
  { sql: 'p.surname_key', kind: 'text' },
  { sql: 'p.id', kind: 'uuid' },
];

/** Persons by name words, JMBG, region and compliance status, within the caller's scope. */
@Injectable()
export class PersonSearch {
  constructor(
    private readonly access: PersonAccess,
    private readonly log: AuditLog,
    private readonly compliance: ComplianceService,
  ) {}

  search(audit: RequestAudit, principal: Principal, query: PersonQuery): Promise<Page<PersonListItem>> {
    audit.on('person');
    const key = query.q ? searchKey(query.q) : null;
    if (query.q && (!key || key.length < 2)) {
      throw DomainError.validation([{ field: 'q', message: 'must contain at least two letters or digits' }]);
    }
    const keyset = new Keyset(key ? BY_SCORE : BY_SURNAME, query);
    return this.log.transaction(audit, async (manager) => {
      const found = key
        ? await this.byName(manager, principal, key, query, keyset)
        : await this.byFilters(manager, principal, query, keyset);
      const statuses = await this.compliance.statusesOf(
        manager,
        found.slice(0, keyset.limit).map(({ person }) => person.id),
      );
      const page = keyset.page(
        found,
        ({ person }) => ({
          id: person.id,
          surname: person.surname,
          givenNames: person.givenNames,
          dateOfBirth: person.dateOfBirth,
          compliance: { status: statuses.get(person.id) ?? 'none' },
        }),
        ({ position }) => position,
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
    principal: Principal,
    key: string,
    query: PersonQuery,
    keyset: Keyset,
  ): Promise<{ person: Person; position: Record<string, unknown> }[]> {
    const [term, ...others] = key.split(' ').sort((a, b) => b.length - a.length);
    const contains = (text: string) => `%${text.replace(/[\\%_]/g, '\\$&')}%`;
    // A person's name words carry the person's regions: the same scope, on `w`.
    const scope = this.access.scope(principal, 'read', 'Person', 'w');
    const params: Record<string, unknown> = { ...scope.params, term, pattern: contains(term), limit: keyset.limit + 1 };
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
    const after = keyset.after();
    if (after) Object.assign(params, after.params);
    const [sql, values] = manager.connection.driver.escapeQueryWithParameters(
      // Materialised: each dictionary word is scored once, not once per person having it.
      `WITH m AS MATERIALIZED (
         SELECT n.word, similarity(n.word, :term) AS score FROM name_words n WHERE n.word LIKE :pattern)
       SELECT w.person_id AS id, ${keyset.positions().join(', ')}
         FROM person_name_words w JOIN m ON m.word = w.word
        WHERE ${conditions.join(' AND ')}
        GROUP BY w.person_id ${after ? `HAVING ${after.sql}` : ''}
        ORDER BY ${keyset.orderBy()}
        LIMIT :limit`,
      params,
    );
    const ranked: ({ id: string } & Record<string, unknown>)[] = await manager.query(sql, values);
    const persons = new Map(
      (await manager.getRepository(Person).findBy({ id: In(ranked.map((r) => r.id)) })).map((p) => [p.id, p]),
    );
    return ranked.map((position) => ({ person: persons.get(position.id) as Person, position }));
  }

  /** Persons by `jmbg`, `region` and `status` alone, by surname. */
  private async byFilters(
    manager: EntityManager,
    principal: Principal,
    query: PersonQuery,
    keyset: Keyset,
  ): Promise<{ person: Person; position: Record<string, unknown> }[]> {
    const scope = this.access.scope(principal, 'read', 'Person', 'p');
    const q = manager.getRepository(Person).createQueryBuilder('p').where(scope.sql, scope.params);
    if (query.jmbg) q.andWhere('p.jmbg = :jmbg', { jmbg: query.jmbg });
    if (query.region) q.andWhere(':region = ANY(p.regions)', { region: query.region });
    if (query.status) {
      const condition = this.compliance.statusCondition('p', query.status as ComplianceStatus);
      q.andWhere(condition.sql, condition.params);
    }
    const { entities, raw } = await keyset.query(q).getRawAndEntities();
    return entities.map((person, i) => ({ person, position: raw[i] as Record<string, unknown> }));
  }
}
