import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { type CursorValue, decodeCursor, DEFAULT_PAGE_SIZE, encodeCursor, keysetTime, type Page } from './page';

/** One column of a list's order; the last one must make the order total (an id). */
export interface KeysetColumn {
  /** The ordering expression, e.g. `a.raised_at`. */
  sql: string;
  /** What its cursor value is. */
  kind: CursorValue;
  desc?: boolean;
  /** The SQL type the cursor value is compared as (defaults by kind; `number` columns say theirs, e.g. `real`). */
  cast?: string;
}

const CASTS: Record<CursorValue, string> = {
  uuid: 'uuid',
  time: 'timestamptz',
  date: 'date',
  text: 'text',
  number: 'double precision',
  seq: 'bigint',
  boolean: 'boolean',
};

/** A SQL fragment with named parameters (`:keyset_0`, ...). */
export interface Fragment {
  sql: string;
  params: Record<string, unknown>;
}

/**
 * The one way a list pages: keyset pagination over `columns`, `limit + 1`
 * rows fetched (the extra one only says there is more), the next cursor
 * carrying the last row's position exactly (times to the microsecond, so
 * rows written at one instant page once each), and a forged cursor refused
 * value by value (400) before it reaches SQL.
 */
export class Keyset {
  readonly limit: number;
  private readonly position: unknown[] | null;

  constructor(
    private readonly columns: readonly KeysetColumn[],
    page: { limit?: number; cursor?: string },
  ) {
    this.limit = page.limit ?? DEFAULT_PAGE_SIZE;
    this.position = page.cursor
      ? decodeCursor(
          page.cursor,
          columns.map((c) => c.kind),
        )
      : null;
  }

  /** Rows after the cursor's position, or null on the first page. */
  after(): Fragment | null {
    if (!this.position) return null;
    const params: Record<string, unknown> = {};
    const value = (i: number): string => {
      params[`keyset_${i}`] = this.position?.[i];
      return `:keyset_${i}::${this.columns[i].cast ?? CASTS[this.columns[i].kind]}`;
    };
    const uniform = this.columns.every((c) => Boolean(c.desc) === Boolean(this.columns[0].desc));
    if (uniform) {
      // A row comparison: one index range scan.
      const op = this.columns[0].desc ? '<' : '>';
      return {
        sql: `(${this.columns.map((c) => c.sql).join(', ')}) ${op} (${this.columns.map((_, i) => value(i)).join(', ')})`,
        params,
      };
    }
    const terms = this.columns.map((column, i) => {
      const equal = this.columns.slice(0, i).map((c, j) => `${c.sql} = ${value(j)}`);
      return [...equal, `${column.sql} ${column.desc ? '<' : '>'} ${value(i)}`].join(' AND ');
    });
    return { sql: `(${terms.map((t) => `(${t})`).join(' OR ')})`, params };
  }

  /** `ORDER BY` terms. */
  orderBy(): string {
    return this.columns.map((c) => `${c.sql} ${c.desc ? 'DESC' : 'ASC'}`).join(', ');
  }

  /** Select expressions carrying each row's position (`keyset_0`, ...), exact to the microsecond. */
  positions(): string[] {
    return this.columns.map((c, i) => `${positionOf(c)} AS keyset_${i}`);
  }

  /** Pages a TypeORM query: the position, the cursor's condition, the order and the limit. */
  query<E extends ObjectLiteral>(q: SelectQueryBuilder<E>): SelectQueryBuilder<E> {
    const after = this.after();
    if (after) q.andWhere(after.sql, after.params);
    this.columns.forEach((c, i) => {
      q.addSelect(positionOf(c), `keyset_${i}`);
      if (i === 0) q.orderBy(c.sql, c.desc ? 'DESC' : 'ASC');
      else q.addOrderBy(c.sql, c.desc ? 'DESC' : 'ASC');
    });
    return q.limit(this.limit + 1);
  }

  /** The page of a query paged by `query`. */
  async pageOf<E extends ObjectLiteral, T>(
    q: SelectQueryBuilder<E>,
    view: (row: E, raw: Record<string, unknown>) => T,
  ): Promise<Page<T>> {
    const { entities, raw } = await this.query(q).getRawAndEntities();
    return this.page(
      entities.map((entity, i) => ({ entity, raw: raw[i] as Record<string, unknown> })),
      ({ entity, raw: r }) => view(entity, r),
      ({ raw: r }) => r,
    );
  }

  /**
   * A page from `limit + 1` rows; `raw` gives the row's selected positions
   * (`keyset_0`, ...: the row itself for raw SQL).
   */
  page<R, T>(
    rows: R[],
    view: (row: R) => T,
    raw: (row: R) => Record<string, unknown> = (row) => row as never,
  ): Page<T> {
    const more = rows.length > this.limit;
    const items = more ? rows.slice(0, this.limit) : rows;
    const last = items.at(-1);
    return {
      items: items.map(view),
      nextCursor:
        more && last !== undefined ? encodeCursor(this.columns.map((_, i) => raw(last)[`keyset_${i}`])) : null,
    };
  }
}

function positionOf(column: KeysetColumn): string {
  switch (column.kind) {
    case 'time':
      return keysetTime(column.sql);
    case 'date':
    case 'uuid':
    case 'seq':
      return `(${column.sql})::text`;
    default:
      return column.sql;
  }
}

/**
 * Named parameters (`:name`, as the query builder takes them) as positional
 * ones ($n...), numbered after `before` others, for raw SQL.
 */
export function positional(fragment: Fragment, before = 0): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const numbers = new Map<string, number>();
  const sql = fragment.sql.replace(/(?<!:):([a-z][a-z0-9_]*)/gi, (whole, name: string) => {
    if (!Object.hasOwn(fragment.params, name)) return whole;
    let n = numbers.get(name);
    if (n === undefined) {
      params.push(fragment.params[name]);
      n = before + params.length;
      numbers.set(name, n);
    }
    return `$${n}`;
  });
  return { sql, params };
}
