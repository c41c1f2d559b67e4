import { Injectable } from '@nestjs/common';
import { addDays, belgradeToday, DomainError, isRealDate, type Keyset, type Page, positional } from '@app/common';
import { AuditLog, type RequestAudit } from '@app/audit';

/** `from` and `to` of a list's query (default today and `defaultDays` later; at most 366 days apart), or 400. */
export function dateRange(query: { from?: string; to?: string }, defaultDays: number): { from: string; to: string } {
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
 * The one way compliance's lists are read: a page of a query's rows in a
 * keyset's order, in the request's audited transaction, the event naming
 * every person listed.
 */
@Injectable()
export class ListPages {
  constructor(private readonly log: AuditLog) {}

  /** One page of a list (`sql` selects the items; `params` are its $n), in the keyset's order. */
  page<T, R>(
    audit: RequestAudit,
    sql: string,
    params: unknown[],
    keyset: Keyset,
    /** A list of persons names each (`personId`); a list of counts names none. */
    view: (row: R) => T & { personId?: string },
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
      audit.subject(...new Set(page.items.flatMap((item) => (item.personId ? [item.personId] : []))));
      return page;
    });
  }
}
