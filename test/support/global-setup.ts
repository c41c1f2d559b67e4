import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import pg from 'pg';
// Jest loads this file outside the test runtime, without the @app aliases.
import { startEmbeddedPostgres } from '../../libs/db/src/embedded-postgres';

/**
 * Once per e2e run: picks the server (DATABASE_URL, or an embedded PostgreSQL
 * in a temporary folder) and a unique template database name. The first test
 * file to need the template creates and migrates it (see test-database.ts);
 * each test file then clones its own database from it.
 */
export default async function globalSetup(): Promise<void> {
  let adminUrl: string;
  let stopServer = async (): Promise<void> => undefined;
  let folder: string | undefined;
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = '/postgres';
    adminUrl = url.toString();
  } else {
    folder = await mkdtemp(path.join(tmpdir(), 'register-test-'));
    // The postgres user runs the server and must traverse this folder.
    await chmod(folder, 0o755);
    const server = await startEmbeddedPostgres({ dir: path.join(folder, 'pg') });
    adminUrl = server.adminUrl;
    stopServer = server.stop;
  }
  const template = `register_tpl_${randomBytes(5).toString('hex')}`;
  process.env.REGISTER_TEST_ADMIN_URL = adminUrl;
  process.env.REGISTER_TEST_TEMPLATE = template;
  (globalThis as Record<string, unknown>).__registerTestTeardown = async () => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(template)} WITH (FORCE)`);
    await client.end();
    await stopServer();
    if (folder) await rm(folder, { recursive: true, force: true });
  };
}
