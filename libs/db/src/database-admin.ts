import { DataSource } from 'typeorm';
import pg from 'pg';
import { dataSourceOptions } from './data-source-options';

/** Stable key for the advisory lock that serialises migrations across instances. */
const MIGRATION_LOCK_KEY = 7_302_013_001;

export class DatabaseUnreachableError extends Error {
  constructor(
    readonly target: string,
    readonly reason: string,
    readonly attempts: number,
  ) {
    super(`cannot reach the database at ${target} after ${attempts} attempt(s): ${reason}`);
    this.name = 'DatabaseUnreachableError';
  }
}

/** host:port/database of a URL, without credentials, for messages. */
export function describeDatabase(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'the configured address';
  }
}

function reasonOf(error: unknown): string {
  const e = error as { code?: string; message?: string };
  switch (e.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ETIMEDOUT':
      return 'connection timed out';
    case '28P01':
    case '28000':
      return 'authentication failed';
    case '3D000':
      return 'database does not exist';
    default:
      return e.code ? `error ${e.code}` : 'connection failed';
  }
}

/** Waits for PostgreSQL with a bounded number of attempts and a growing pause between them. */
export async function waitForDatabase(url: string, attempts = 5, log?: (line: string) => void): Promise<void> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch (error) {
      lastError = error;
      await client.end().catch(() => undefined);
      // Authentication and missing databases do not heal by waiting.
      if (['28P01', '28000', '3D000', 'ENOTFOUND'].includes((error as { code?: string }).code ?? '')) break;
      if (attempt < attempts) {
        log?.(`database not reachable yet (${reasonOf(error)}), attempt ${attempt}/${attempts}`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** (attempt - 1), 5_000)));
      }
    }
  }
  throw new DatabaseUnreachableError(describeDatabase(url), reasonOf(lastError), attempts);
}

/** Runs pending migrations under an advisory lock, so instances starting together migrate once. */
export async function runMigrations(url: string): Promise<string[]> {
  const dataSource = new DataSource({
    ...dataSourceOptions({ url, poolSize: 2, applicationName: 'register-migrate' }),
  });
  await dataSource.initialize();
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.release();
    await dataSource.destroy();
  }
}

/** Reverts the last applied migration; returns its name or null when none was applied. */
export async function revertLastMigration(url: string): Promise<string | null> {
  const dataSource = new DataSource(dataSourceOptions({ url, poolSize: 2, applicationName: 'register-migrate' }));
  await dataSource.initialize();
  try {
    const before = await appliedMigrations(dataSource);
    if (before.length === 0) return null;
    await dataSource.undoLastMigration({ transaction: 'each' });
    return before[before.length - 1];
  } finally {
    await dataSource.destroy();
  }
}

async function appliedMigrations(dataSource: DataSource): Promise<string[]> {
  const table = dataSource.options.migrationsTableName ?? 'migrations';
  const exists = await dataSource.query('SELECT to_regclass($1) AS t', [table]);
  if (!exists[0]?.t) return [];
  const rows: { name: string }[] = await dataSource.query(`SELECT name FROM ${table} ORDER BY id`);
  return rows.map((r) => r.name);
}

/** The SQL that would bring the schema in line with `entities`; empty when there is no drift. */
export async function pendingSchemaChanges(
  url: string,
  entities: Function[],
): Promise<{ up: string[]; down: string[] }> {
  const dataSource = new DataSource(
    dataSourceOptions({ url, poolSize: 2, applicationName: 'register-schema' }, entities),
  );
  await dataSource.initialize();
  try {
    const sql = await dataSource.driver.createSchemaBuilder().log();
    return {
      up: sql.upQueries.map((q) => q.query),
      down: sql.downQueries.map((q) => q.query),
    };
  } finally {
    await dataSource.destroy();
  }
}

/** Runs one statement on the server's maintenance database (CREATE/DROP DATABASE cannot run in a transaction). */
async function onServer(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export async function createDatabase(adminUrl: string, name: string, template?: string): Promise<void> {
  const from = template ? ` TEMPLATE ${pg.escapeIdentifier(template)}` : '';
  await onServer(adminUrl, `CREATE DATABASE ${pg.escapeIdentifier(name)}${from}`);
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await onServer(adminUrl, `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
}

/** The URL of another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
