import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';

/** The node-postgres client under a TypeORM query runner. */
interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/** A statement's name: its text's digest (the same text, the same name; at most 63 bytes). */
function statementName(text: string): string {
  return `r_${createHash('sha1').update(text).digest('hex')}`;
}

/**
 * Sends a statement as a named prepared statement: PostgreSQL parses and
 * plans it once per connection, and keeps a generic plan once that is no
 * dearer than planning each call, instead of parsing and planning it on every
 * call as TypeORM's `query` does. For a hot path's large statement (the
 * person's read: planning was half its time). `on` is the data source (a
 * pooled connection for the statement) or the manager of a transaction (its
 * connection).
 */
export async function preparedQuery<R>(on: DataSource | EntityManager, text: string, values: unknown[]): Promise<R[]> {
  const inTransaction = 'queryRunner' in on ? on.queryRunner : undefined;
  const runner = inTransaction ?? ('createQueryRunner' in on ? on : on.connection).createQueryRunner();
  try {
    const client = (await runner.connect()) as PgClient;
    return (await client.query({ name: statementName(text), text, values })).rows as R[];
  } finally {
    if (!inTransaction) await runner.release();
  }
}
