import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '@app/migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';
import { ENTITIES } from './entities';

export interface DatabaseSettings {
  url: string;
  poolSize?: number;
  statementTimeoutMs?: number;
  applicationName?: string;
}

export const MIGRATIONS_TABLE = 'migrations';

/** The one definition of how the service talks to PostgreSQL, for the apps, the CLI and the tests. */
export function dataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each',
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+; no uuid-ossp extension needed.
    uuidExtension: 'pgcrypto',
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    logging: false,
    extra: {
      max: settings.poolSize ?? 10,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      statement_timeout: settings.statementTimeoutMs ?? 15_000,
      application_name: settings.applicationName ?? 'register',
    },
  };
}
