import request from 'supertest';
import { ProbeModule } from './support/probe.module';
import { startTestApp, type TestApp } from './support/test-app';

const PROBLEM = /^application\/problem\+json/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('HTTP pipeline', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({}, [ProbeModule]);
  });

  afterAll(async () => {
    await t.close();
  });

  describe('problems', () => {
    it('answers an unknown path with a problem+json 404 and a request id', async () => {
      const res = await request(t.server).get('/api/v1/nowhere?jmbg=0101900350008');
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.headers['x-request-id']).toMatch(UUID);
      expect(res.body).toEqual({
        type: 'urn:register:problem:not_found',
        title: 'Not found',
        status: 404,
        detail: 'No resource at this address.',
        instance: '/api/v1/nowhere',
      });
    });

    it('refuses unknown body properties with the field named', async () => {
      const res = await request(t.server).post('/api/v1/probe').send({ name: 'ok', extra: 1 });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body).toMatchObject({
        type: 'urn:register:problem:validation',
        status: 400,
        errors: [{ field: 'extra', message: 'is not a known property' }],
      });
    });

    it('lists every invalid field', async () => {
      const res = await request(t.server).post('/api/v1/probe').send({ name: '', count: 'x' });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'name', message: 'name must be longer than or equal to 1 characters' },
          { field: 'count', message: 'count must be an integer number' },
        ]),
      );
    });

    it('accepts a valid body', async () => {
      const res = await request(t.server).post('/api/v1/probe').send({ name: 'Petrović', count: 2 });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ name: 'Petrović', count: 2 });
    });

    it('refuses unknown query parameters, on routes with and without a query DTO', async () => {
      const withDto = await request(t.server).get('/api/v1/probe/query?limit=5&sort=name');
      expect(withDto.status).toBe(400);
      expect(withDto.body.errors).toEqual([{ field: 'sort', message: 'is not a known property' }]);

      const withoutDto = await request(t.server).get('/health/live?verbose=1');
      expect(withoutDto.status).toBe(400);
      expect(withoutDto.body).toMatchObject({
        type: 'urn:register:problem:validation',
        errors: [{ field: 'verbose', message: 'is not a known query parameter' }],
      });

      const ok = await request(t.server).get('/api/v1/probe/query?limit=5');
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ limit: 5 });
    });

    it('refuses a body sent to a route that takes none', async () => {
      const res = await request(t.server).post('/api/v1/probe/no-body').send({ anything: true });
      expect(res.status).toBe(400);
      expect(res.body.detail).toBe('This route takes no request body.');
      expect((await request(t.server).post('/api/v1/probe/no-body')).status).toBe(204);
    });

    it('answers malformed JSON with 400, not 500', async () => {
      const res = await request(t.server)
        .post('/api/v1/probe')
        .set('content-type', 'application/json')
        .send('{"name":');
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.type).toBe('urn:register:problem:validation');
    });

    it('answers bodies that are not JSON with 415', async () => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
        const res = await request(t.server).post('/api/v1/probe').set('content-type', type).send('name=x');
        expect(res.status).toBe(415);
        expect(res.body.type).toBe('urn:register:problem:unsupported_media_type');
      }
    });

    it('answers a body over 1 MiB with 413', async () => {
      const res = await request(t.server)
        .post('/api/v1/probe')
        .set('content-type', 'application/json')
        .send(JSON.stringify({ name: 'x'.repeat(1024 * 1024) }));
      expect(res.status).toBe(413);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.type).toBe('urn:register:problem:payload_too_large');
    });

    it('hides internal errors: 500 without message, stack or library names', async () => {
      const res = await request(t.server).get('/api/v1/probe/fail');
      expect(res.status).toBe(500);
      expect(res.body).toEqual({
        type: 'urn:register:problem:internal',
        title: 'Internal error',
        status: 500,
        detail: 'Internal error.',
        instance: '/api/v1/probe/fail',
      });
      expect(res.text).not.toMatch(/secret_table|typeorm|QueryFailed|at /);
    });

    it('answers a lost database connection with 503 unavailable and Retry-After', async () => {
      const res = await request(t.server).get('/api/v1/probe/database-down');
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body.type).toBe('urn:register:problem:unavailable');
      expect(res.text).not.toMatch(/ECONNREFUSED|10\.0\.0\.1/);
    });
  });

  describe('request id', () => {
    it('echoes a valid X-Request-Id', async () => {
      const id = 'case-2026.11:ABC_1';
      const res = await request(t.server).get('/health/live').set('X-Request-Id', id);
      expect(res.headers['x-request-id']).toBe(id);
    });

    it.each([['x'.repeat(65)], ['has space'], ['semi;colon'], ['']])('replaces an invalid one (%j)', async (id) => {
      const res = await request(t.server).get('/health/live').set('X-Request-Id', id);
      expect(res.headers['x-request-id']).toMatch(UUID);
    });
  });

  describe('operations', () => {
    it('reports liveness and readiness', async () => {
      const live = await request(t.server).get('/health/live');
      expect(live.status).toBe(200);
      expect(live.body).toEqual({ status: 'ok' });
      const ready = await request(t.server).get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body).toEqual({ status: 'ok', checks: { database: 'up', migrations: 'up' } });
    });

    it('serves the OpenAPI document and the docs page', async () => {
      const json = await request(t.server).get('/api/docs-json');
      expect(json.status).toBe(200);
      expect(json.body.openapi).toMatch(/^3\./);
      expect(json.body.paths['/health/ready']).toBeDefined();
      expect(json.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      const page = await request(t.server).get('/api/docs');
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
    });

    it('exposes Prometheus metrics by route template and status', async () => {
      await request(t.server).get('/api/v1/probe/query?limit=7');
      const res = await request(t.server).get('/metrics');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.text).toMatch(
        /http_requests_total\{method="GET",route="\/api\/v1\/probe\/query",status="200"\} [1-9]/,
      );
      expect(res.text).toMatch(
        /http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/api\/v1\/probe\/query",status="200"\}/,
      );
      expect(res.text).toMatch(/process_resident_memory_bytes/);
      expect(res.text).not.toMatch(/limit=7/);
    });

    it('sends security headers', async () => {
      const res = await request(t.server).get('/health/live');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['strict-transport-security']).toBeDefined();
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
});

describe('rate limit per client address', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_SECONDS: '60' });
  });

  afterAll(async () => {
    await t.close();
  });

  it('answers 429 rate_limited with Retry-After once the limit is spent, on every route', async () => {
    for (let i = 0; i < 3; i++) expect((await request(t.server).get('/health/live')).status).toBe(200);
    for (const path of ['/health/live', '/api/v1/unknown', '/metrics']) {
      const res = await request(t.server).get(path);
      expect(res.status).toBe(429);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(res.headers['x-request-id']).toMatch(UUID);
      expect(res.body).toMatchObject({ type: 'urn:register:problem:rate_limited', status: 429 });
    }
  });
});
