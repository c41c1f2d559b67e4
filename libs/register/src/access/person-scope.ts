import {
  type DeepPartial,
  type EntityManager,
  type EntityTarget,
  type FindOptionsOrder,
  type FindOptionsWhere,
  IsNull,
  type ObjectLiteral,
} from 'typeorm';
import { DomainError, Keyset, type KeysetColumn, type Page, versionMismatch } from '@app/common';
import type { Action } from '@app/authz';
import type { RequestAudit } from '@app/audit';
import { toArrivalView } from '../arrival.views';
import { Arrival } from '../entities/arrival.entity';
import { MeasureSuspension } from '../entities/measure-suspension.entity';
import { Person } from '../entities/person.entity';
import { Photo } from '../entities/photo.entity';

/** A row of one of the person's records. */
export type PersonRow = ObjectLiteral & { personId: string };

/** A row of one of the person's parts that has an id of its own. */
export type PartRow = PersonRow & { id: string };

/** A part voided, never deleted, when recorded by mistake (check-ins, notices, acknowledgements). */
export type VoidableRow = PartRow & {
  version: number;
  voidedAt: Date | null;
  voidedBy: string | null;
  voidReason: string | null;
};

/** One entry of the person's history (append-only). */
export interface HistoryEntry {
  part: string;
  partId: string;
  change: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  /** Overrides the request's access reason (e.g. `transfer` for changes a transfer causes). */
  reason?: string;
}

/**
 * One person the caller has been let through to (PersonAccess.open), and the
 * only way to that person's records: every read and write here is bound to
 * the person's id, so a part of another person cannot be reached through it.
 */
export class PersonScope {
  constructor(
    readonly manager: EntityManager,
    readonly audit: RequestAudit,
    readonly person: Person,
    /** The action the caller was let through for: a scope opened to read cannot write. */
    readonly action: Action,
    /** The part row the gate found with the person, when it was asked for one. */
    private readonly partId: string | null,
  ) {}

  get id(): string {
    return this.person.id;
  }

  /** The part row the caller was let through to (PersonAccess.open with `part`). */
  async part<E extends PartRow>(entity: EntityTarget<E>): Promise<E> {
    if (!this.partId) throw new Error('the scope was opened without a part');
    return this.manager
      .getRepository(entity)
      .findOneByOrFail(this.where<E>({ id: this.partId } as FindOptionsWhere<E>));
  }

  /** The photo the scope was opened on, with its bytes (left out of every other read). */
  image(): Promise<Photo> {
    return this.partWithBytes(Photo, 'data');
  }

  /** The part row the scope was opened on, with its stored file (`column`, left out of every other read). */
  async partWithBytes<E extends PartRow>(entity: EntityTarget<E>, column: keyof E & string): Promise<E> {
    if (!this.partId) throw new Error('the scope was opened without a part');
    return this.manager
      .getRepository(entity)
      .createQueryBuilder('p')
      .addSelect(`p.${column}`)
      .where('p.id = :id AND p.person_id = :personId', { id: this.partId, personId: this.id })
      .getOneOrFail();
  }

  /** Every row of one of the person's parts with its stored file (`column`), in the order of `by` (a property). */
  allWithBytes<E extends PartRow>(
    entity: EntityTarget<E>,
    column: keyof E & string,
    by: [property: keyof E & string, order: 'ASC' | 'DESC'],
  ): Promise<E[]> {
    return this.manager
      .getRepository(entity)
      .createQueryBuilder('p')
      .addSelect(`p.${column}`)
      .where('p.person_id = :personId', { personId: this.id })
      .orderBy(`p.${by[0]}`, by[1])
      .addOrderBy('p.id', by[1])
      .getMany();
  }

  /** One row of the person's parts matching `where`, or null. */
  one<E extends PersonRow>(entity: EntityTarget<E>, where: FindOptionsWhere<E> = {}): Promise<E | null> {
    return this.manager.getRepository(entity).findOneBy(this.where(where));
  }

  /** Every row of one of the person's parts, in `order`. */
  all<E extends PersonRow>(
    entity: EntityTarget<E>,
    order: FindOptionsOrder<E>,
    where: FindOptionsWhere<E> = {},
  ): Promise<E[]> {
    return this.manager.getRepository(entity).find({ where: this.where(where), order });
  }

  /** A page of one of the person's parts, in the order of `columns` (over the alias `x`). */
  page<E extends PartRow, V>(
    entity: EntityTarget<E>,
    columns: KeysetColumn[],
    query: { limit?: number; cursor?: string },
    view: (row: E) => V,
  ): Promise<Page<V>> {
    const q = this.manager
      .getRepository(entity)
      .createQueryBuilder('x')
      .where('x.person_id = :personId', { personId: this.id });
    return new Keyset(columns, query).pageOf(q, view);
  }

  /** A new row of one of the person's parts. */
  insert<E extends PersonRow>(entity: EntityTarget<E>, values: Omit<DeepPartial<E>, 'personId'>): Promise<E> {
    this.writable();
    const repository = this.manager.getRepository(entity);
    return repository.save(repository.create({ ...values, personId: this.id } as DeepPartial<E>));
  }

  /** Saves a row read through this scope. */
  save<E extends PersonRow>(entity: EntityTarget<E>, row: E): Promise<E> {
    this.writable();
    if (row.personId !== this.id) throw new Error('a row of another person');
    return this.manager.getRepository(entity).save(row);
  }

  /** Saves the person's own row (a new version). */
  savePerson(): Promise<Person> {
    this.writable();
    return this.manager.getRepository(Person).save(this.person);
  }

  /** The suspensions of one of the person's measures (a measure read through this scope). */
  suspensions(measure: { id: string; personId: string }) {
    this.writable();
    if (measure.personId !== this.id) throw new Error('a measure of another person');
    const repository = this.manager.getRepository(MeasureSuspension);
    return {
      open: () => repository.findOneBy({ measureId: measure.id, toOn: IsNull() }),
      start: (fromOn: string) => repository.insert({ measureId: measure.id, fromOn, toOn: null }),
      end: (id: string, toOn: string) => repository.update({ id, measureId: measure.id }, { toOn }),
    };
  }

  async history(entry: HistoryEntry): Promise<void> {
    const { sql, params } = this.historyInsert(entry);
    await this.manager.query(sql, params);
  }

  /** The statement that writes a history entry (parameters $1 to $8), for `history` or a caller's CTE. */
  historyInsert(entry: HistoryEntry): { sql: string; params: unknown[] } {
    this.writable();
    return {
      sql: `INSERT INTO person_history (person_id, part, part_id, actor, reason, change, before, after)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7::jsonb, $8::jsonb)`,
      params: [
        this.id,
        entry.part,
        entry.partId,
        JSON.stringify(this.audit.actor ?? {}),
        entry.reason ?? this.audit.reason,
        entry.change,
        entry.before === null ? null : JSON.stringify(entry.before),
        entry.after === null ? null : JSON.stringify(entry.after),
      ],
    };
  }

  /** A new row of a part and its history entry (`create`). */
  async create<E extends PartRow, V extends object>(
    entity: EntityTarget<E>,
    part: string,
    values: Omit<DeepPartial<E>, 'personId'>,
    view: (row: E) => V,
  ): Promise<V> {
    const row = await this.insert(entity, values);
    this.audit.on(part, row.id);
    const after = view(row);
    await this.history({
      part,
      partId: row.id,
      change: 'create',
      before: null,
      after: { ...after } as Record<string, unknown>,
    });
    return after;
  }

  /**
   * For parts kept with history (addresses, workplaces): closes the current
   * row the day the new one starts and records both changes. A new row older
   * than the current one is a conflict.
   */
  async supersede<E extends PartRow & { validFrom: string; validTo: string | null }>(spec: {
    entity: EntityTarget<E>;
    part: string;
    /** Which row is current (besides `validTo IS NULL`). */
    current: FindOptionsWhere<E>;
    values: Omit<DeepPartial<E>, 'personId'> & { validFrom: string };
    view: (row: E) => object;
    describe: string;
  }): Promise<{ created: E; previous: E | null }> {
    const previous = await this.one(spec.entity, { ...spec.current, validTo: IsNull() } as FindOptionsWhere<E>);
    if (previous && spec.values.validFrom < previous.validFrom) {
      throw DomainError.conflict(`${spec.describe} valid from ${previous.validFrom} is more recent.`);
    }
    if (previous) {
      const before = { ...spec.view(previous) };
      previous.validTo = spec.values.validFrom;
      const closed = await this.save<E>(spec.entity, previous);
      await this.history({
        part: spec.part,
        partId: previous.id,
        change: 'close',
        before,
        after: { ...spec.view(closed) },
      });
    }
    const created = await this.insert<E>(spec.entity, { ...spec.values, validTo: null } as Omit<
      DeepPartial<E>,
      'personId'
    >);
    await this.history({
      part: spec.part,
      partId: created.id,
      change: 'create',
      before: null,
      after: { ...spec.view(created) },
    });
    return { created, previous };
  }

  /**
   * A change of the part the scope was opened on, at the version read: 412
   * when stale; 409 when the part is void (a void part is kept as it was);
   * `apply` changes the row (and validates it); the history keeps before and
   * after under `change`.
   */
  async change<E extends PartRow & { version: number }, V extends object>(spec: {
    entity: EntityTarget<E>;
    part: string;
    /** The version the caller read (If-Match), when the change requires one. */
    version: number | null;
    change?: string;
    view: (row: E) => V;
    apply: (row: E) => Promise<void> | void;
  }): Promise<V> {
    const row = await this.part(spec.entity);
    if (spec.version !== null && row.version !== spec.version) throw versionMismatch();
    if ((row as Partial<VoidableRow>).voidedAt) {
      throw DomainError.conflict(`The ${spec.part.replace(/_/g, '-')} is already void.`);
    }
    const before = { ...spec.view(row) } as Record<string, unknown>;
    await spec.apply(row);
    const view = spec.view(await this.save(spec.entity, row));
    await this.history({
      part: spec.part,
      partId: row.id,
      change: spec.change ?? 'update',
      before,
      after: { ...view } as Record<string, unknown>,
    });
    return view;
  }

  /**
   * Voids the part the scope was opened on (check-ins, notifications
   * recorded by mistake): kept, marked void with who and why (the request's
   * access reason); a second void is 409, as every change of a void part.
   */
  void<E extends VoidableRow, V extends object>(
    entity: EntityTarget<E>,
    part: string,
    view: (row: E) => V,
  ): Promise<V> {
    return this.change({
      entity,
      part,
      version: null,
      change: 'void',
      view,
      apply: (row) => {
        Object.assign(row, {
          voidedAt: new Date(),
          voidedBy: this.audit.actor?.userId ?? null,
          voidReason: this.audit.reason ?? 'void',
        });
      },
    });
  }

  /** The administration responsible for the person now (permanent address, else reporting, else temporary). */
  async responsibleAdministration(): Promise<string | null> {
    const [{ administration }]: { administration: string | null }[] = await this.manager.query(
      'SELECT responsible_administration($1) AS administration',
      [this.id],
    );
    return administration;
  }

  /** The UIKS office serving the administration responsible for the person (its clerks are told), or null. */
  async servingOffice(): Promise<string | null> {
    const [{ office }]: { office: string | null }[] = await this.manager.query(
      'SELECT (offices_serving(ARRAY[responsible_administration($1)]::text[]))[1] AS office',
      [this.id],
    );
    return office;
  }

  /**
   * Spends the person's open arrival announcement for `administration` on
   * the address recorded there (with its history); null when there was none.
   */
  async closeArrival(administration: string, addressId: string): Promise<Arrival | null> {
    this.writable();
    const repository = this.manager.getRepository(Arrival);
    const arrival = await repository
      .createQueryBuilder('a')
      .where('a.person_id = :personId AND a.police_administration = :administration AND a.closed_at IS NULL', {
        personId: this.id,
        administration,
      })
      .andWhere("a.valid_until >= (now() AT TIME ZONE 'Europe/Belgrade')::date")
      .orderBy('a.announced_at')
      .setLock('pessimistic_write')
      .getOne();
    if (!arrival) return null;
    const before = { ...toArrivalView(arrival) };
    Object.assign(arrival, { closedAt: new Date(), recordedAddressId: addressId });
    const after = { ...toArrivalView(await repository.save(arrival)) };
    await this.history({ part: 'arrival', partId: arrival.id, change: 'close', before, after });
    return arrival;
  }

  /**
   * Recomputes the police administrations the person is "in": those of the
   * current addresses and the reportTo of active measures. Not a change of
   * the person (its version stays).
   */
  async refreshRegions(): Promise<void> {
    this.writable();
    await this.manager.query(
      `UPDATE persons SET regions = ARRAY(
          SELECT police_administration FROM addresses WHERE person_id = $1 AND valid_to IS NULL
          UNION
          SELECT report_to FROM measures WHERE person_id = $1 AND status = 'active' AND report_to IS NOT NULL
          ORDER BY 1)
        WHERE id = $1`,
      [this.id],
    );
  }

  /** Writes need a scope opened for a write (create, update, record, void): never a read. */
  private writable(): void {
    if (this.action === 'read') throw new Error(`a scope opened to read cannot write (person ${this.id})`);
  }

  private where<E extends PersonRow>(where: FindOptionsWhere<E>): FindOptionsWhere<E> {
    return { ...where, personId: this.id } as FindOptionsWhere<E>;
  }
}
