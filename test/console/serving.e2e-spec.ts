import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app';

const PROBLEM = /^application\/problem\+json/;
const INDEX =
  '<!doctype html><html><body><div id="root"></div><script type="module" src="/console/assets/app-1a2b.js"></script></body></html>';

/** Builds an app whose console folder is `dir` (the api reads CONSOLE_DIR when it is built). */
async function appServing(dir: string): Promise<TestApp> {
  const previous = process.env.CONSOLE_DIR;
  process.env.CONSOLE_DIR = dir;
  try {
    return await startTestApp();
  } finally {
    if (previous === undefined) delete process.env.CONSOLE_DIR;
    else process.env.CONSOLE_DIR = previous;
  }
}

describe('the console at /console', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'register-console-'));

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  describe('when built', () => {
    let t: TestApp;

    beforeAll(async () => {
      const dir = path.join(folder, 'built');
      mkdirSync(path.join(dir, 'assets'), { recursive: true });
      writeFileSync(path.join(dir, 'index.html'), INDEX);
      writeFileSync(path.join(dir, 'assets', 'app-1a2b.js'), 'console.log("console");');
      t = await appServing(dir);
    });

    afterAll(async () => {
      await t.close();
    });

    it.each(['/console', '/console/', '/console/inbox', '/console/alerts/6f1c2a52-54d4-4a59-9a55-2f1b1e7f0a11'])(
      'answers %s with the index, not cached, under the api CSP',
      async (url) => {
        const res = await request(t.server).get(url);
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(res.text).toBe(INDEX);
        expect(res.headers['cache-control']).toBe('no-cache');
        expect(res.headers['content-security-policy']).toContain("script-src 'self'");
        expect(res.headers['content-security-policy']).toContain("default-src 'self'");
        expect(res.headers['x-content-type-options']).toBe('nosniff');
      },
    );

    it.each(['/console/..%2F..%2Fpackage.json', '/console/%2e%2e/x', '/console/a%5Cb', '/console/.hidden'])(
      'answers %s, no console page, with a 404 problem',
      async (url) => {
        const res = await request(t.server).get(url);
        expect(res.status).toBe(404);
        expect(res.headers['content-type']).toMatch(PROBLEM);
      },
    );

    it('sends the site root to the console', async () => {
      const res = await request(t.server).get('/');
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('/console');
    });

    it('serves hashed assets with a long cache', async () => {
      const res = await request(t.server).get('/console/assets/app-1a2b.js');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/javascript/);
      expect(res.headers['cache-control']).toMatch(/max-age=31536000.*immutable/);
    });

    it('answers a missing asset with a 404 problem, not the index', async () => {
      const res = await request(t.server).get('/console/assets/nothing-here.js');
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(PROBLEM);
    });

    it('leaves the api alone: an unknown /api/v1 path is still an audited problem+json 404, not stored', async () => {
      const res = await request(t.server).get('/api/v1/console');
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toMatchObject({ type: 'urn:register:problem:not_found', instance: '/api/v1/console' });
      const [{ count }] = await t.dataSource.query(
        `SELECT count(*)::int AS count FROM audit_events WHERE action = 'route.unknown' AND request_id = $1`,
        [res.headers['x-request-id']],
      );
      expect(count).toBe(1);
    });

    it('writes no audit event for the console itself', async () => {
      const res = await request(t.server).get('/console/persons/new');
      expect(res.status).toBe(200);
      const [{ count }] = await t.dataSource.query(
        `SELECT count(*)::int AS count FROM audit_events WHERE request_id = $1`,
        [res.headers['x-request-id']],
      );
      expect(count).toBe(0);
    });
  });

  describe('when not built', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await appServing(path.join(folder, 'missing'));
    });

    afterAll(async () => {
      await t.close();
    });

    it.each(['/console', '/console/alerts/x'])('answers %s with a clear 404 problem', async (url) => {
      const res = await request(t.server).get(url);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body).toMatchObject({
        type: 'urn:register:problem:not_found',
        detail: expect.stringContaining('npm run build'),
      });
    });
  });
});
