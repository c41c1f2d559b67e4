import type { Logger } from 'pino';
import { type AppConfig, ConfigError } from '@app/common';
import { DatabaseUnreachableError, runMigrations, waitForDatabase } from './database-admin';
import { startEmbeddedPostgres } from './embedded-postgres';

export interface PrepareOptions {
  /** Start the embedded PostgreSQL when DATABASE_URL is unset (the newcomer's mode). */
  allowEmbedded: boolean;
  /**
   * `never`; or `if-configured`: when the database is embedded, or
   * MIGRATE_ON_START is true.
   */
  migrate: 'never' | 'if-configured';
  log: Logger;
}

export interface PreparedDatabase {
  /** The configuration with the database URL filled in. */
  config: AppConfig;
  embedded: boolean;
  /** Stops the embedded server when this process started it. */
  stop(): Promise<void>;
}

/** Everything the database needs before Nest starts: a server, a connection, the migrations. */
export async function prepareDatabase(config: AppConfig, options: PrepareOptions): Promise<PreparedDatabase> {
  let url = config.database.url;
  let stop = async (): Promise<void> => undefined;
  const embedded = url === undefined;
  if (url === undefined) {
    if (!options.allowEmbedded) {
      throw new ConfigError('DATABASE_URL', 'is required here (only `npm start` runs an embedded database)');
    }
    const server = await startEmbeddedPostgres({
      dir: config.database.embeddedDir,
      port: config.database.embeddedPort,
      log: (line) => options.log.info(line),
    });
    url = server.url;
    stop = server.stop;
  }
  try {
    await waitForDatabase(url, config.database.connectAttempts, (line) => options.log.warn(line));
    if (options.migrate === 'if-configured' && (embedded || config.database.migrateOnStart)) {
      const applied = await runMigrations(url);
      if (applied.length > 0) options.log.info({ migrations: applied }, 'migrations applied');
    }
  } catch (error) {
    await stop();
    if (error instanceof DatabaseUnreachableError) throw new ConfigError('DATABASE_URL', error.message);
    throw error;
  }
  return { config: config.withDatabaseUrl(url), embedded, stop };
}
