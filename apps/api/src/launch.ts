import { failStartup, loadConfig, loadDotEnv, onShutdownSignal, processLogger } from '@app/common';
import { prepareDatabase } from '@app/db';
import { createApiApp } from './http-app';

export interface LaunchOptions {
  /**
   * `local`: the newcomer's `npm start`: embedded PostgreSQL when DATABASE_URL
   * is unset, migrations applied, the worker's jobs in the same process.
   * `production`: DATABASE_URL required, migrations only with MIGRATE_ON_START.
   */
  mode: 'local' | 'production';
}

export async function launch({ mode }: LaunchOptions): Promise<void> {
  loadDotEnv();
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    failStartup(error);
  }
  const log = processLogger(config.logLevel, 'register-api');
  if (mode === 'local' && process.env.RUN_WORKER === undefined) {
    config = config.with({ runWorker: true });
  }

  let database;
  try {
    database = await prepareDatabase(config, {
      allowEmbedded: mode === 'local',
      migrate: 'if-configured',
      log,
    });
  } catch (error) {
    failStartup(error);
  }

  try {
    const app = await createApiApp(database.config);
    onShutdownSignal(
      async () => {
        await app.close();
        await database.stop();
      },
      config.http.shutdownGraceMs,
      log,
    );
    await app.listen({ port: config.http.port, host: config.http.host });
    const url = `http://${config.http.host}:${config.http.port}`;
    log.info(
      {
        url,
        docs: config.http.docsEnabled ? `${url}/api/docs` : undefined,
        embeddedDatabase: database.embedded,
        worker: database.config.runWorker,
      },
      'register api listening',
    );
  } catch (error) {
    await database.stop().catch(() => undefined);
    failStartup(error);
  }
}
