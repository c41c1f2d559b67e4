import * as path from 'node:path';
import { type AppConfig, failStartup, loadConfig, loadDotEnv, onShutdownSignal, processLogger } from '@app/common';
import { prepareDatabase } from '@app/db';
import { ensureDemoAccounts, UsersService } from '@app/identity';
import { seedDemoRegister } from '@app/register';
import { createApiApp } from './http-app';

export interface LaunchOptions {
  /**
   * `local`: the newcomer's `npm start`: embedded PostgreSQL when DATABASE_URL
   * is unset, migrations applied, the worker's jobs in the same process.
   * `production`: DATABASE_URL required, migrations only with MIGRATE_ON_START.
   */
  mode: 'local' | 'production';
}

/**
 * `npm start` is for trying the register on one machine: the worker runs in
 * process, keys are generated once into DATA_DIR/secrets, and a second
 * factor is not demanded, unless the environment says otherwise.
 */
function localDefaults(config: AppConfig): AppConfig {
  return config.withLocalSecrets().with({
    runWorker: process.env.RUN_WORKER === undefined ? true : config.runWorker,
    identity:
      process.env.MFA_REQUIRED_ROLES === undefined ? { ...config.identity, mfaRequiredRoles: [] } : config.identity,
    audit: {
      ...config.audit,
      checkpointDir: config.audit.checkpointDir ?? path.join(config.secrets.dataDir, 'checkpoints'),
    },
  });
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
  if (mode === 'local') config = localDefaults(config);

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
    // Demo accounts only on the embedded database, never on a real server.
    const demo = database.embedded
      ? await ensureDemoAccounts(app.get(UsersService), path.join(config.secrets.dataDir, 'demo-accounts.json'))
      : undefined;
    // With the accounts, a few persons to try the console on (each added once).
    if (demo) await seedDemoRegister(app, 'demo.clerk');
    await app.listen({ port: config.http.port, host: config.http.host });
    const url = `http://${config.http.host}:${config.http.port}`;
    log.info(
      {
        url,
        docs: config.http.docsEnabled ? `${url}/api/docs` : undefined,
        embeddedDatabase: database.embedded,
        worker: database.config.runWorker,
        demoAccounts: demo?.file,
      },
      demo ? `register api listening; demo accounts and their passwords are in ${demo.file}` : 'register api listening',
    );
    // The newcomer's last line, plain text after the JSON log: where to go next.
    if (mode === 'local') {
      const where = demo ? `; demo accounts and passwords: ${path.relative(process.cwd(), demo.file)}` : '';
      process.stdout.write(`\nThe register is running. Console: ${url}/console${where}\n`);
    }
  } catch (error) {
    await database.stop().catch(() => undefined);
    failStartup(error);
  }
}
