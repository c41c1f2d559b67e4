import type { DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Server } from 'node:http';
import { DataSource } from 'typeorm';
import { type AppConfig, loadConfig } from '@app/common';
import { createApiApp } from '../../apps/api/src/http-app';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface TestApp {
  app: NestFastifyApplication;
  /** For supertest: `request(t.server)`. */
  server: Server;
  config: AppConfig;
  database: TestDatabase;
  dataSource: DataSource;
  close(): Promise<void>;
}

/**
 * The real api on a database of its own, configured as production is except
 * for what `env` overrides. Nothing listens on a port: supertest injects.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  extraImports: DynamicModule['imports'] = [],
  /** Share another app's database (several instances); the first app drops it. */
  shared?: TestDatabase,
): Promise<TestApp> {
  const database = shared ?? (await createTestDatabase());
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    MFA_REQUIRED_ROLES: '',
    DATABASE_URL: database.url,
    ...env,
  });
  const app = await createApiApp(config, extraImports);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    server: app.getHttpServer() as Server,
    config,
    database,
    dataSource: app.get(DataSource),
    close: async () => {
      await app.close();
      if (!shared) await database.drop();
    },
  };
}
