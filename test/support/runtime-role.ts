import pg from 'pg';
import type { TestApp } from './test-app';

/**
 * `owner`'s database as reached by a login role that is only a member of
 * register_app (created on the server if absent), so that an app started
 * with this URL has only the runtime role's grants. Test files running at
 * the same time use different logins (two CREATE ROLEs of one name race).
 */
export async function runtimeRoleUrl(owner: TestApp, login: string, password: string): Promise<string> {
  const client = new pg.Client({ connectionString: owner.database.url });
  await client.connect();
  try {
    await client.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${login}') THEN
          CREATE ROLE ${login} LOGIN PASSWORD '${password}' IN ROLE register_app;
        END IF;
      END $$`);
  } finally {
    await client.end();
  }
  const url = new URL(owner.database.url);
  url.username = login;
  url.password = password;
  return url.toString();
}
