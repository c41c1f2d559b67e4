import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { failStartup, loadConfig, loadDotEnv, onShutdownSignal, processLogger } from '@app/common';
import { prepareDatabase } from '@app/db';
import { WorkerModule } from './worker.module';

/** `npm run start:worker`: the scheduled jobs against the database named by DATABASE_URL. */
async function main(): Promise<void> {
  loadDotEnv();
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    failStartup(error);
  }
  const log = processLogger(config.logLevel, 'register-worker');
  let database;
  try {
    database = await prepareDatabase(config, { allowEmbedded: false, migrate: 'never', log });
  } catch (error) {
    failStartup(error);
  }
  try {
    const app = await NestFactory.createApplicationContext(WorkerModule.register(database.config), {
      bufferLogs: true,
      abortOnError: false,
    });
    app.useLogger(app.get(Logger));
    app.flushLogs();
    onShutdownSignal(() => app.close(), config.http.shutdownGraceMs, log);
    log.info('register worker running');
  } catch (error) {
    failStartup(error);
  }
}

void main();
