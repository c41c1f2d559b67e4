import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, DeepPartial, EntityManager, EntityTarget, FindOptionsWhere, ObjectLiteral } from 'typeorm';
import { DomainError, fromJsonRow, type Page, positional } from '@app/common';
import {
  type Action,
  type Principal,
  RecordAccess,
  type ScopeBinding,
  type ScopedSubject,
  type SqlScope,
  type SubjectFields,
} from '@app/authz';
import { AuditLog, ReplayAccess, type RequestAudit } from '@app/audit';
import { Person } from '../entities/person.entity';
import { type PartRow, type PersonRow, PersonScope, type VoidableRow } from './person-scope';

/** The subjects a person's records are checked as. */
export type PersonSubject = Exclude<ScopedSubject, 'Alert'>;

/** What the caller wants to do, to which person (and which of its part rows). */
export interface PersonTarget<S extends PersonSubject = PersonSubject> {
  /** The real action: `read`, `create`, `update`, `record`, `void`. */
  action: Action;
  on: S;
  personId: string;
  /** A row of one of the person's parts, which must be the person's (404 `absent` otherwise). */
  part?: { entity: EntityTarget<PartRow>; id: string; absent: string };
  /** The fields of a record about to be written (e.g. a new address's administration). */
  values?: Partial<SubjectFields[S]>;
  /**
   * The administration a new record lies in, when the rules may let it in
   * through the person's arrival announcement there (a new address).
   */
  arrivingAt?: string;
  /** Writes lock the person's row: changes to one person's records are serialised. */
  lock?: boolean;
  /** The 404's detail, absent or out of reach alike, when the route names a record rather than the person. */
  absent?: string;
  /**
   * Rows of the person's parts that a new row refers to, found by the same statement (FOR SHARE, after the
   * person's lock: their latest versions), each by its properties' values: `{ measure: { entity: Measure,
   * where: { id } } }`.
   */
  refs?: Record<string, PartRef>;
  /**
   * A new row of one of the person's parts (its properties' values), inserted by the same statement when
   * the caller may act on the person and every ref was found; the work judges what was found and throws to
   * undo it.
   */
  insert?: { entity: EntityTarget<PartRow>; values: ObjectLiteral };
}

/** A row of one of the person's parts, found by its properties' values. */
export interface PartRef {
  entity: EntityTarget<PersonRow>;
  where: ObjectLiteral;
}

/** What `openWith` found besides the person: the refs (null when not the person's) and the row it inserted. */
export interface Found {
  refs: Record<string, ObjectLiteral | null>;
  inserted: ObjectLiteral | null;
}

export function personNotFound(): DomainError {
  return DomainError.notFound('No such person.');
}

/**
 * The one door to a person's records: every read and write of a
 * person-owned table goes through here (or through the scope it opens),
 * with the caller's rules for the real action put into the SQL that finds
 * and locks the person. A person out of reach answers 404 like an absent one
 * and is recorded as a denial naming the person.
 */
@Injectable()
export class PersonAccess implements ReplayAccess {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: RecordAccess,
    private readonly log: AuditLog,
  ) {}

  /**
   * Runs `work` on the person in the request's audited transaction (work and event commit together), with
   * what the opening statement found (the target's refs and inserted row).
   */
  within<T>(
    audit: RequestAudit,
    principal: Principal,
    target: PersonTarget,
    work: (scope: PersonScope, found: Found) => Promise<T>,
  ): Promise<T> {
    return this.log.transaction(audit, async (manager) => {
      const { scope, found } = await this.openWith(manager, audit, principal, target);
      return work(scope, found);
    });
  }

  /**
   * One person's records of one kind, read in the request's audited
   * transaction: all of them (few: convictions, measures) or a page; the
   * event counts what was returned.
   */
  list<V>(
    audit: RequestAudit,
    principal: Principal,
    resource: string,
    target: { on: PersonSubject; personId: string },
    read: (person: PersonScope) => Promise<V[] | Page<V>>,
  ): Promise<Page<V>> {
    audit.on(resource).subject(target.personId);
    return this.within(audit, principal, { action: 'read', ...target }, async (person) => {
      const found = await read(person);
      const page = Array.isArray(found) ? { items: found, nextCursor: null } : found;
      audit.resultCount = page.items.length;
      return page;
    });
  }

  /**
   * Voids one of the person's parts recorded by mistake (a clerk's `void`):
   * kept, marked void with who and why (PersonScope.void). `effects` are
   * what else the void does in its transaction: `before` may refuse it (the
   * row as it stands, not yet void), `after` carries it on (a breach's alert).
   */
  voidPart<E extends VoidableRow, V extends object>(
    audit: RequestAudit,
    principal: Principal,
    target: { on: PersonSubject; personId: string; entity: EntityTarget<E>; part: string; id: string; absent: string },
    view: (row: E) => V,
    effects: {
      before?: (person: PersonScope, row: E) => Promise<void>;
      after?: (person: PersonScope, voided: V) => Promise<void>;
    } = {},
  ): Promise<V> {
    audit.on(target.part, target.id).subject(target.personId);
    const part = { entity: target.entity as EntityTarget<PartRow>, id: target.id, absent: target.absent };
    return this.within(
      audit,
      principal,
      { action: 'void', on: target.on, personId: target.personId, part, lock: true },
      async (person) => {
        if (effects.before) {
          const row = await person.part(target.entity);
          if (!row.voidedAt) await effects.before(person, row);
        }
        const voided = await person.void(target.entity, target.part, view);
        if (effects.after) await effects.after(person, voided);
        return voided;
      },
    );
  }

  /**
   * The last statement of recording a part row that `openWith` inserted (`insert`): its history entry
   * (`create`), the request's audit event, and the row of `answer` (FROM items over the transaction as it is
   * now, its parameters after `before` others, e.g. the person's compliance after the new row).
   */
  async created<E extends PartRow, V extends object, R>(
    person: PersonScope,
    part: string,
    row: E,
    view: (row: E) => V,
    answer: (before: number) => { select: string; from: string; params: unknown[] },
  ): Promise<{ view: V; answer: R }> {
    person.audit.on(part, row.id);
    const after = view(row);
    const history = person.historyInsert({
      part,
      partId: row.id,
      change: 'create',
      before: null,
      after: { ...after } as Record<string, unknown>,
    });
    const last = answer(history.params.length);
    const [found] = await this.log.writeWithEvent<R>(person.manager, person.audit, {
      ctes: `history AS (${history.sql})`,
      params: [...history.params, ...last.params],
      select: last.select,
      from: last.from,
    });
    return { view: after, answer: found };
  }

  /** The person (and part) if the caller may act on them; 404 otherwise. */
  async open(
    manager: EntityManager,
    audit: RequestAudit,
    principal: Principal,
    target: PersonTarget,
  ): Promise<PersonScope> {
    return (await this.openWith(manager, audit, principal, target)).scope;
  }

  /** `open`, with what the same statement found and inserted (the target's refs and insert). */
  async openWith(
    manager: EntityManager,
    audit: RequestAudit,
    principal: Principal,
    target: PersonTarget,
  ): Promise<{ scope: PersonScope; found: Found }> {
    const part = target.part ? manager.connection.getMetadata(target.part.entity).tableName : null;
    const params: unknown[] = [target.personId];
    let from = 'persons person';
    if (target.part && part) {
      params.push(target.part.id);
      from += ` LEFT JOIN ${part} row ON row.person_id = person.id AND row.id = $${params.length}`;
    }
    if (target.arrivingAt) {
      // The person's open announcement of arriving where the new record lies, if any.
      params.push(target.arrivingAt);
      from += ` LEFT JOIN LATERAL (
          SELECT a.police_administration FROM arrivals a
           WHERE a.person_id = person.id AND a.police_administration = $${params.length} AND a.closed_at IS NULL
             AND a.valid_until >= (now() AT TIME ZONE 'Europe/Belgrade')::date
           LIMIT 1) arrival ON TRUE`;
    }
    const refs = Object.entries(target.refs ?? {});
    // A write, like every other: not through a scope opened to read, and with the person locked.
    if (target.insert && (target.action === 'read' || !target.lock)) throw new Error('an insert needs a locked write');
    const then = refs.length || target.insert ? this.extension(manager, refs, target.insert, params) : undefined;
    const row = await this.access.reach<
      PersonSubject,
      { person: Record<string, unknown>; part_id: string | null } & Record<string, ObjectLiteral | null>
    >(
      manager,
      principal,
      {
        subject: target.on,
        action: target.action,
        from,
        binding: {
          person: 'person',
          row: part ? 'row' : undefined,
          arrival: target.arrivingAt ? 'arrival' : undefined,
          values: target.values,
        } as ScopeBinding<PersonSubject>,
        where: 'person.id = $1',
        params,
        select: ['row_to_json(person) AS person', part ? 'row.id AS part_id' : 'NULL AS part_id'],
        lock: target.lock ? ['person'] : undefined,
        absent: target.absent ?? 'No such person.',
        then,
      },
      // A refused attempt concerns the person too: the auditor sees who tried.
      () => audit.subject(target.personId),
    );
    if (target.part && !row.part_id) throw DomainError.notFound(target.part.absent);
    const scope = new PersonScope(manager, audit, fromJsonRow(manager, Person, row.person), target.action, row.part_id);
    const found: Found = { refs: {}, inserted: null };
    for (const [name, ref] of refs) {
      const json = row[`ref_${name}`];
      found.refs[name] = json ? fromJsonRow(manager, ref.entity, json) : null;
    }
    if (target.insert && row.inserted) found.inserted = fromJsonRow(manager, target.insert.entity, row.inserted);
    return { scope, found };
  }

  /**
   * The refs and the insert of `open`'s statement (after the person, `$1`, is found and locked as `target`),
   * their parameters pushed onto `params`. The new row's values go in as one JSON record of its table
   * (typed by the table itself); unnamed columns take their defaults.
   */
  private extension(
    manager: EntityManager,
    refs: [string, PartRef][],
    insert: PersonTarget['insert'],
    params: unknown[],
  ): { ctes: string; select: string[] } {
    const param = (value: unknown) => `$${params.push(value)}`;
    const column = (entity: EntityTarget<ObjectLiteral>, property: string) => {
      const found = manager.connection.getMetadata(entity).findColumnWithPropertyName(property);
      if (!found) throw new Error(`no column for ${property}`);
      return found.databaseName;
    };
    const ctes: string[] = [];
    const select: string[] = [];
    for (const [name, ref] of refs) {
      const table = manager.connection.getMetadata(ref.entity).tableName;
      const where = Object.entries(ref.where).map(
        ([property, value]) => `r.${column(ref.entity, property)} = ${param(value)}`,
      );
      // Only once the person is locked and in reach (the target first): a ref's lock never waits holding another.
      ctes.push(
        `ref_${name} AS (SELECT r.* FROM ${table} r WHERE (SELECT allowed FROM target) AND r.person_id = $1 AND ${where.join(' AND ')} FOR SHARE OF r)`,
      );
      select.push(`(SELECT row_to_json(r) FROM ref_${name} r) AS ref_${name}`);
    }
    if (insert) {
      const table = manager.connection.getMetadata(insert.entity).tableName;
      const columns = ['person_id', ...Object.keys(insert.values).map((property) => column(insert.entity, property))];
      const values = Object.fromEntries(
        Object.entries(insert.values).map(([property, value]) => [column(insert.entity, property), value]),
      );
      const found = refs.map(([name]) => ` AND EXISTS (SELECT 1 FROM ref_${name})`).join('');
      ctes.push(
        `inserted AS (INSERT INTO ${table} (${columns.join(', ')})
           SELECT $1, ${columns
             .slice(1)
             .map((c) => `v.${c}`)
             .join(', ')}
             FROM target, jsonb_populate_record(NULL::${table}, ${param(JSON.stringify(values))}::jsonb) v
            WHERE target.allowed${found}
           RETURNING *)`,
      );
      select.push('(SELECT row_to_json(i) FROM inserted i) AS inserted');
    }
    return { ctes: ctes.join(',\n'), select };
  }

  /**
   * A new person: allowed when the caller may create one with these
   * values (checked in SQL like every other record).
   */
  async create(
    manager: EntityManager,
    audit: RequestAudit,
    principal: Principal,
    values: DeepPartial<Person> & Pick<Person, 'regions'>,
  ): Promise<PersonScope> {
    await this.access.reach(manager, principal, {
      subject: 'Person',
      action: 'create',
      from: '(SELECT 1) AS new',
      binding: { values: { regions: values.regions } },
      where: 'TRUE',
      params: [],
      absent: 'No such person.',
    });
    const repository = manager.getRepository(Person);
    const person = await repository.save(repository.create(values));
    return new PersonScope(manager, audit, person, 'create', null);
  }

  /**
   * Whether another person than `exceptId` has these identifying values
   * (JMBG, identity document): uniqueness is checked across every region,
   * whatever the caller may read, and answers only yes or no.
   */
  async taken(manager: EntityManager, where: FindOptionsWhere<Person>, exceptId: string | null): Promise<boolean> {
    const found = await manager.getRepository(Person).find({ where, select: { id: true } });
    return found.some((p) => p.id !== exceptId);
  }

  /** Whether the caller may still read every one of these persons (before an idempotent replay). */
  async reachesAll(principal: Principal, personIds: string[]): Promise<boolean> {
    const scope = positional(this.scope(principal, 'read', 'Person', 'person'), 1);
    const [{ all }]: { all: boolean }[] = await this.dataSource.query(
      `SELECT coalesce(bool_and(${scope.sql}), true) AS all FROM persons person WHERE person.id = ANY($1::uuid[])`,
      [personIds, ...scope.params],
    );
    return all;
  }

  /** The predicate over persons aliased `alias` (lists, searches). */
  scope(principal: Principal, action: Action, on: PersonSubject, alias: string): SqlScope {
    return this.access.scope(principal, action, on, { person: alias });
  }
}
