import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '@app/migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export interface DatabaseSettings {
  url: string;
  poolSize?: number;
  statementTimeoutMs?: number;
  applicationName?: string;
}

export const MIGRATIONS_TABLE = 'migrations';

/**
 * The one definition of how the service talks to PostgreSQL, for the apps, the CLI and the tests.
 * This library knows no entity: the apps' connection loads those of the modules it imports
 * (`autoLoadEntities`), and what compares entities with the migrations passes the full list in.
 * Running migrations needs none.
 */
export function dataSourceOptions(settings: DatabaseSettings, entities: Function[] = []): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    entities,
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
