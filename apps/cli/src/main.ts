import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { failStartup, loadConfig, loadDotEnv, processLogger } from '@app/common';
import { prepareDatabase } from '@app/db';
import { CliModule } from './cli.module';

/** Runs one command against DATABASE_URL, or the embedded database (started or attached to) when unset. */
async function main(): Promise<void> {
  loadDotEnv();
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    failStartup(error);
  }
  const log = processLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, 'register-cli');
  let database;
  try {
    database = await prepareDatabase(config, { allowEmbedded: true, migrate: 'never', log });
  } catch (error) {
    failStartup(error);
  }
  try {
    const accounts = /^(user|audit|compliance|places|proximity|statistics):/.test(process.argv[2] ?? '');
    await CommandFactory.run(CliModule.register(database.config, { accounts }), {
      // Failures reach the operator as one line (below), not as framework logs.
      logger: false,
      cliName: 'npm run cli --',
      serviceErrorHandler: (error) => {
        console.error(`Failed: ${error.message}`);
        process.exitCode = 1;
      },
    });
  } catch (error) {
    console.error(`Failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  } finally {
    await database.stop();
  }
  process.exit(process.exitCode ?? 0);
}

void main();
