import { subject } from '@casl/ability';
import { Injectable } from '@nestjs/common';
import {
  type DeepPartial,
  type EntityManager,
  type EntityTarget,
  type FindOptionsWhere,
  IsNull,
  type ObjectLiteral,
} from 'typeorm';
import {
  decodeCursor,
  DEFAULT_PAGE_SIZE,
  DomainError,
  keysetTime,
  type Page,
  toPage,
  versionMismatch,
} from '@app/common';
import { AbilityFactory, type Action, type Principal, type Subject } from '@app/authz';
import { AuditLog, type RequestAudit } from '@app/audit';
import { Person } from './entities/person.entity';

/** The fields a PATCH sent: a DTO instance carries the others as undefined. */
export function sentFields<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** The subjects whose rules scope a person by region. */
export type PersonPart = Extract<Subject, 'Person' | 'CheckIn' | 'Notification' | 'Breach' | 'Counselling'>;

export function personNotFound(): DomainError {
  return DomainError.notFound('No such person.');
}

/**
 * What every part of a person shares: finding the person within the
 * caller's scope (404 otherwise, recorded as a denial), the history of
 * changes, and the regions the person is "in".
 */
@Injectable()
export class PersonRecords {
  constructor(
    private readonly abilities: AbilityFactory,
    private readonly log: AuditLog,
  ) {}

  /** The parts of a person that are few (convictions, measures): one page, in the contract's list shape. */
  async listParts<T>(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    resource: string,
    read: (manager: EntityManager) => Promise<T[]>,
  ): Promise<Page<T>> {
    audit.on(resource).subject(personId);
    return this.log.transaction(audit, async (manager) => {
      await this.within(manager, audit, principal, personId);
      const items = await read(manager);
      audit.resultCount = items.length;
      return { items, nextCursor: null };
    });
  }

  /**
   * A page of a part that grows over time (check-ins, notifications, ...),
   * newest first by `column` (a timestamp or date column of `alias`).
   */
  async pageParts<E extends ObjectLiteral & { id: string }, V>(
    audit: RequestAudit,
    principal: Principal,
    personId: string,
    resource: string,
    on: PersonPart,
    spec: {
      entity: EntityTarget<E>;
      column: string;
      /** What `column` holds: a time or a day. */
      positionKind: 'time' | 'date';
      view: (row: E) => V;
      limit?: number;
      cursor?: string;
    },
  ): Promise<Page<V>> {
    audit.on(resource).subject(personId);
    const limit = spec.limit ?? DEFAULT_PAGE_SIZE;
    return this.log.transaction(audit, async (manager) => {
      await this.within(manager, audit, principal, personId, 'read', false, on);
      const q = manager
        .getRepository(spec.entity)
        .createQueryBuilder('x')
        .where('x.person_id = :personId', { personId })
        .orderBy(`x.${spec.column}`, 'DESC')
        .addOrderBy('x.id', 'DESC')
        .limit(limit + 1);
      if (spec.cursor) {
        const [at, id] = decodeCursor(spec.cursor, [spec.positionKind, 'uuid']);
        q.andWhere(`(x.${spec.column}, x.id) < (:at, :id)`, { at, id });
      }
      const position = spec.positionKind === 'time' ? keysetTime(`x.${spec.column}`) : `x.${spec.column}::text`;
      const { entities, raw } = await q.addSelect(position, 'position_at').getRawAndEntities();
      const rows = entities.map((row, i) => ({ row, at: raw[i].position_at as string }));
      const page = toPage(
        rows,
        limit,
        ({ row }) => spec.view(row),
        ({ row, at }) => [at, row.id],
      );
      audit.resultCount = page.items.length;
      return page;
    });
  }

  /**
   * A clerk voids a part recorded by mistake (check-ins, notifications):
   * kept, marked void with who and why (the request's access reason).
   */
  async voidPart<
    E extends ObjectLiteral & { id: string; voidedAt: Date | null; voidedBy: string | null; voidReason: string | null },
    V extends object,
  >(
    audit: RequestAudit,
    principal: Principal,
    spec: { entity: EntityTarget<E>; personId: string; partId: string; part: string; view: (row: E) => V },
  ): Promise<V> {
    const name = spec.part.replace(/_/g, '-');
    audit.on(spec.part, spec.partId).subject(spec.personId);
    return this.log.transaction(audit, async (manager) => {
      await this.find(manager, spec.personId, true);
      const repository = manager.getRepository(spec.entity);
      const row = await repository.findOneBy({
        id: spec.partId,
        personId: spec.personId,
      } as unknown as FindOptionsWhere<E>);
      if (!row) throw DomainError.notFound(`No such ${name}.`);
      if (row.voidedAt) throw DomainError.conflict(`The ${name} is already void.`);
      const before = { ...spec.view(row) } as Record<string, unknown>;
      Object.assign(row, { voidedAt: new Date(), voidedBy: principal.userId, voidReason: audit.reason ?? 'void' });
      const view = spec.view(await repository.save(row));
      await this.recordHistory(manager, audit, {
        personId: spec.personId,
        part: spec.part,
        partId: spec.partId,
        change: 'void',
        before,
        after: { ...view } as Record<string, unknown>,
      });
      return view;
    });
  }

  /** The person, locked for the rest of the transaction when `forUpdate`; 404 when absent. */
  async find(manager: EntityManager, id: string, forUpdate = false): Promise<Person> {
    const person = await manager
      .getRepository(Person)
      .findOne({ where: { id }, ...(forUpdate ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!person) throw personNotFound();
    return person;
  }

  /**
   * The person if the caller may `action` it (or a part of it); otherwise
   * 404, recorded as denied and naming the person.
   */
  async within(
    manager: EntityManager,
    audit: RequestAudit,
    principal: Principal,
    id: string,
    action: Action = 'read',
    forUpdate = false,
    /** What is done to the person: the person itself, or one kind of its parts. */
    on: PersonPart = 'Person',
  ): Promise<Person> {
    const person = await this.find(manager, id, forUpdate);
    // A refused attempt concerns the person too: the auditor sees who tried.
    audit.subject(person.id);
    const ability = this.abilities.createForPrincipal(principal);
    if (!ability.can(action, subject(on, { regions: person.regions } as Record<string, unknown>))) {
      audit.outcome = 'denied';
      throw personNotFound();
    }
    return person;
  }

  async recordHistory(
    manager: EntityManager,
    audit: RequestAudit,
    entry: {
      personId: string;
      part: string;
      partId: string;
      change: string;
      before: Record<string, unknown> | null;
      after: Record<string, unknown> | null;
      /** Overrides the request's access reason (e.g. `transfer` for changes a transfer causes). */
      reason?: string;
    },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO person_history (person_id, part, part_id, actor, reason, change, before, after)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7::jsonb, $8::jsonb)`,
      [
        entry.personId,
        entry.part,
        entry.partId,
        JSON.stringify(audit.actor ?? {}),
        entry.reason ?? audit.reason,
        entry.change,
        entry.before === null ? null : JSON.stringify(entry.before),
        entry.after === null ? null : JSON.stringify(entry.after),
      ],
    );
  }

  /**
   * For parts kept with history (addresses, workplaces): closes the current
   * row the day the new one starts and records both changes. A new row older
   * than the current one is a conflict.
   */
  async supersede<E extends ObjectLiteral & { id: string; validFrom: string; validTo: string | null }>(
    manager: EntityManager,
    audit: RequestAudit,
    spec: {
      entity: EntityTarget<E>;
      personId: string;
      part: string;
      /** Which row is current (besides `validTo IS NULL`). */
      current: FindOptionsWhere<E>;
      values: DeepPartial<E> & { validFrom: string };
      view: (row: E) => object;
      describe: string;
    },
  ): Promise<{ created: E; previous: E | null }> {
    const repository = manager.getRepository(spec.entity);
    const previous = await repository.findOneBy({ ...spec.current, validTo: IsNull() } as FindOptionsWhere<E>);
    if (previous && spec.values.validFrom < previous.validFrom) {
      throw DomainError.conflict(`${spec.describe} valid from ${previous.validFrom} is more recent.`);
    }
    if (previous) {
      const before = { ...spec.view(previous) };
      previous.validTo = spec.values.validFrom;
      const closed = await repository.save(previous);
      await this.recordHistory(manager, audit, {
        personId: spec.personId,
        part: spec.part,
        partId: previous.id,
        change: 'close',
        before,
        after: { ...spec.view(closed) },
      });
    }
    const created = await repository.save(repository.create({ ...spec.values, validTo: null } as DeepPartial<E>));
    await this.recordHistory(manager, audit, {
      personId: spec.personId,
      part: spec.part,
      partId: created.id,
      change: 'create',
      before: null,
      after: { ...spec.view(created) },
    });
    return { created, previous };
  }

  /**
   * A clerk's correction of one part row, at the version read: 404 when the
   * row is not the person's, 412 when stale; `apply` changes the row (and
   * validates it); the history keeps before and after.
   */
  async correctPart<E extends ObjectLiteral & { id: string; version: number }, V extends object>(
    manager: EntityManager,
    audit: RequestAudit,
    spec: {
      entity: EntityTarget<E>;
      personId: string;
      partId: string;
      part: string;
      version: number;
      view: (row: E) => V;
      apply: (row: E) => Promise<void> | void;
    },
  ): Promise<V> {
    const repository = manager.getRepository(spec.entity);
    const row = await repository.findOneBy({
      id: spec.partId,
      personId: spec.personId,
    } as unknown as FindOptionsWhere<E>);
    if (!row) throw DomainError.notFound(`No such ${spec.part.replace(/_/g, ' ')}.`);
    if (row.version !== spec.version) throw versionMismatch();
    const before = { ...spec.view(row) } as Record<string, unknown>;
    await spec.apply(row);
    const view = spec.view(await repository.save(row));
    await this.recordHistory(manager, audit, {
      personId: spec.personId,
      part: spec.part,
      partId: spec.partId,
      change: 'update',
      before,
      after: { ...view } as Record<string, unknown>,
    });
    return view;
  }

  /**
   * Recomputes the police administrations the person is "in": those of the
   * current addresses and the reportTo of active measures. Not a change of
   * the person (its version stays).
   */
  async refreshRegions(manager: EntityManager, personId: string): Promise<void> {
    await manager.query(
      `UPDATE persons SET regions = ARRAY(
          SELECT police_administration FROM addresses WHERE person_id = $1 AND valid_to IS NULL
          UNION
          SELECT report_to FROM measures WHERE person_id = $1 AND status = 'active' AND report_to IS NOT NULL
          ORDER BY 1)
        WHERE id = $1`,
      [personId],
    );
  }
}
