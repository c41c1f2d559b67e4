import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabase, dropDatabase, runMigrations, withDatabase } from '@app/db';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Any stable number: serialises the template's creation across parallel test files. */
const TEMPLATE_LOCK = 7_302_013_002;

function testServer(): { adminUrl: string; template: string } {
  const adminUrl = process.env.REGISTER_TEST_ADMIN_URL;
  const template = process.env.REGISTER_TEST_TEMPLATE;
  if (!adminUrl || !template) throw new Error('the e2e global setup did not run');
  return { adminUrl, template };
}

/** Creates and migrates the run's template once, whichever test file comes first. */
async function ensureTemplate(adminUrl: string, template: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (rowCount === 0) {
      await createDatabase(adminUrl, template);
      await runMigrations(withDatabase(adminUrl, template));
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]).catch(() => undefined);
    await client.end();
  }
}

/** A database of this test file's own, cloned from the migrated template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const { adminUrl, template } = testServer();
  await ensureTemplate(adminUrl, template);
  const name = `register_t_${randomBytes(6).toString('hex')}`;
  await createDatabase(adminUrl, name, template);
  return { name, url: withDatabase(adminUrl, name), drop: () => dropDatabase(adminUrl, name) };
}
