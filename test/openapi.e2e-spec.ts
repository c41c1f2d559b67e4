import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { PROBLEM_CODES } from '@app/common';
import { registeredRoutes } from './support/routes';
import { startTestApp, type TestApp } from './support/test-app';

interface Operation {
  operationId: string;
  summary?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean }[];
  responses: Record<string, { description: string; content?: Record<string, { schema?: unknown; examples?: object }> }>;
}

interface Document {
  servers: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, { properties: Record<string, { enum?: string[] }> }>;
    examples: Record<string, { value: { type: string; status: number } }>;
  };
}

const CHECKED_IN = path.resolve('apps/api/openapi.json');

/** The routes anyone may call: no bearer token. */
const PUBLIC = [
  'get /.well-known/jwks.json',
  'get /api/v1/vetting/verify/{certificateNumber}',
  'get /health/live',
  'get /health/ready',
  'post /api/v1/auth/login',
  'post /api/v1/auth/refresh',
];

describe('the served OpenAPI document', () => {
  let t: TestApp;
  let served: Document;

  beforeAll(async () => {
    t = await startTestApp();
    served = (await request(t.server).get('/api/docs-json').expect(200)).body as Document;
  });

  afterAll(async () => {
    await t.close();
  });

  const operations = () =>
    Object.entries(served.paths).flatMap(([route, item]) =>
      Object.entries(item).map(([method, operation]) => ({ name: `${method} ${route}`, operation })),
    );

  it('is the checked-in apps/api/openapi.json (npm run openapi:write writes it again)', () => {
    expect(served).toEqual(JSON.parse(readFileSync(CHECKED_IN, 'utf8')));
  });

  it('names its server and gives every operation a unique id and a summary', () => {
    expect(served.servers).toEqual([{ url: '/', description: 'The server that serves this document' }]);
    const ids = operations().map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(operations().filter(({ operation }) => !operation.summary)).toEqual([]);
    // Every registered route but the metrics (excluded on purpose) is an operation.
    expect(ids.length).toBe(registeredRoutes(t).length - 1);
  });

  it('asks for the bearer token on every route but the public ones, which say they need none', () => {
    const open = operations().filter(({ operation }) => operation.security?.length === 0);
    expect(open.map(({ name }) => name).sort()).toEqual(PUBLIC);
    const others = operations().filter(({ name }) => !PUBLIC.includes(name));
    expect(others.filter(({ operation }) => JSON.stringify(operation.security) !== '[{"bearer":[]}]')).toEqual([]);
  });

  it('lists the problem answers of every operation as problem+json with the codes they may carry', () => {
    const problemTypes = served.components.schemas.Problem.properties.type.enum;
    expect(problemTypes).toEqual(PROBLEM_CODES.map((code) => `urn:register:problem:${code}`));
    const wrong: string[] = [];
    for (const { name, operation } of operations()) {
      const statuses = Object.keys(operation.responses).filter((status) => /^[45]/.test(status));
      if (!statuses.includes('400') || !statuses.includes('429')) wrong.push(`${name}: no 400 or 429`);
      if (!PUBLIC.includes(name) && !(statuses.includes('401') && statuses.includes('403'))) {
        wrong.push(`${name}: no 401 or 403`);
      }
      if (name.includes('{') && !statuses.includes('404')) wrong.push(`${name}: no 404`);
      for (const status of statuses) {
        const content = operation.responses[status].content?.['application/problem+json'];
        if (!content) {
          wrong.push(`${name} ${status}: not problem+json`);
          continue;
        }
        expect(content.schema).toEqual({ $ref: '#/components/schemas/Problem' });
        const refs = Object.values(content.examples ?? {}) as { $ref: string }[];
        if (refs.length === 0) wrong.push(`${name} ${status}: no example`);
        for (const { $ref } of refs) {
          const value = served.components.examples[$ref.replace('#/components/examples/', '')]?.value ?? {};
          if (value.status !== Number(status) || !problemTypes?.includes(value.type)) {
            wrong.push(`${name} ${status}: example ${value.type} ${value.status}`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('asks for If-Match where a correction needs it, and answers 412 and 428 there', () => {
    const conditional = operations().filter(({ operation }) =>
      operation.parameters?.some((p) => p.in === 'header' && p.name === 'If-Match' && p.required),
    );
    expect(conditional.length).toBeGreaterThan(10);
    expect(conditional.filter(({ operation }) => !operation.responses['412'] || !operation.responses['428'])).toEqual(
      [],
    );
  });

  it('describes the success answer of every operation that has a body with a schema', () => {
    const bare = operations()
      .filter(({ operation }) => {
        const success = Object.entries(operation.responses).filter(([status]) => /^2/.test(status));
        return success.length === 0 || success.some(([status, r]) => status !== '204' && !r.content);
      })
      .map(({ name }) => name);
    expect(bare).toEqual([]);
  });

  it('shows a person with the shapes the console reads, and pages with their cursor', () => {
    const person = served.paths['/api/v1/persons/{id}'].get.responses['200'].content?.['application/json'];
    expect(person?.schema).toEqual({ $ref: '#/components/schemas/PersonView' });
    const list = served.paths['/api/v1/persons'].get.responses['200'].content?.['application/json'];
    expect(list?.schema).toEqual({
      type: 'object',
      required: ['items', 'nextCursor'],
      properties: {
        items: { type: 'array', items: { $ref: '#/components/schemas/PersonListItem' } },
        nextCursor: expect.objectContaining({ type: 'string', nullable: true }),
      },
    });
    expect(served.components.schemas.PersonView.properties.jmbg).toMatchObject({ example: '0101990360007' });
  });
});
