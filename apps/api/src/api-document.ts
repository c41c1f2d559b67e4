import { type INestApplication, RequestMethod } from '@nestjs/common';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import {
  DocumentBuilder,
  type OpenAPIObject,
  type OperationObject,
  type ParameterObject,
  type ReferenceObject,
  type ResponseObject,
  type SchemaObject,
  SwaggerModule,
} from '@nestjs/swagger';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import {
  API_ANSWER_METADATA,
  type ApiAnswerDeclaration,
  type AppConfig,
  buildProblem,
  codeForStatus,
  loadConfig,
  PROBLEM_CODES,
  PROBLEM_CONTENT_TYPE,
  PROBLEM_TYPE_PREFIX,
  type ProblemCode,
  problemKind,
} from '@app/common';
import { ACCESS_METADATA, type AccessRequirement, REASON_METADATA } from '@app/authz';
import { ApiModule } from './api.module';

export const API_PREFIX = 'api/v1';

/** The served document's addresses: the document itself, as JSON, and the page that shows it. */
export const DOCS_PATH = 'api/docs';
export const DOCS_JSON_PATH = 'api/docs-json';

/** Every route under /api/v1 except the operations endpoints a load balancer or scraper asks. */
export function useApiPrefix(app: INestApplication): void {
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
      { path: '.well-known/jwks.json', method: RequestMethod.GET },
    ],
  });
}

/** The handler behind an operation id: the document's operations are completed from its metadata. */
interface Handler {
  controller: string;
  method: string;
}

/**
 * The OpenAPI document of the application's routes: what the controllers
 * declare (summaries, bodies, success answers with their examples), completed
 * once for every operation by `completeOperation` (security, the problem
 * answers, the access reason and idempotency headers).
 */
export function buildApiDocument(app: INestApplication): OpenAPIObject {
  const handlers = new Map<string, Handler>();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Special register (posebna evidencija)')
      .setDescription(DESCRIPTION)
      .setVersion('1')
      .setLicense('UNLICENSED', 'https://www.mpravde.gov.rs/')
      .addServer('/', 'The server that serves this document')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER)
      .build(),
    {
      operationIdFactory: (controllerKey, methodKey) => {
        const id = `${lowerFirst(controllerKey.replace(/Controller$/, ''))}_${methodKey}`;
        handlers.set(id, { controller: controllerKey, method: methodKey });
        return id;
      },
    },
  );
  const controllers = new Map<string, Function>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      if (wrapper.metatype) controllers.set(wrapper.metatype.name, wrapper.metatype as Function);
    }
  }
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, Problem: PROBLEM_SCHEMA, FieldError: FIELD_ERROR_SCHEMA },
    // One example of each problem, referred to by every operation that may answer it.
    examples: Object.fromEntries(
      PROBLEM_CODES.map((code) => [
        code,
        { summary: problemKind(code).title, value: buildProblem(code, PROBLEM_DETAILS[code], '/api/v1/persons/…') },
      ]),
    ),
  };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const verb of VERBS) {
      const operation = item[verb];
      if (!operation) continue;
      const handler = operation.operationId === undefined ? undefined : handlers.get(operation.operationId);
      const controller = handler && controllers.get(handler.controller);
      if (!handler || !controller) throw new Error(`No handler for ${verb.toUpperCase()} ${path}`);
      completeOperation(operation, verb, path, controller, handler.method);
    }
  }
  // Only the problems some operation may answer.
  const paths = JSON.stringify(document.paths);
  for (const code of PROBLEM_CODES) {
    if (!paths.includes(`"#/components/examples/${code}"`)) delete document.components.examples?.[code];
  }
  return document;
}

/** Serves the document at /api/docs (the page) and /api/docs-json. */
export function serveApiDocument(app: INestApplication): void {
  SwaggerModule.setup(DOCS_PATH, app, buildApiDocument(app), {
    jsonDocumentUrl: DOCS_JSON_PATH,
    useGlobalPrefix: false,
  });
}

/**
 * The document as the application serves it, without a database: the module
 * graph is built in preview, so no provider is created and nothing connects.
 * `npm run openapi:write` writes it to apps/api/openapi.json.
 */
export async function previewApiDocument(): Promise<OpenAPIObject> {
  const config: AppConfig = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: 'postgres://preview@127.0.0.1:1/none',
  });
  const app = await NestFactory.create(ApiModule.register(config), new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  useApiPrefix(app);
  return buildApiDocument(app);
}

const BEARER = 'bearer';

const DESCRIPTION = [
  'The special register of persons convicted of sexual offences against minors (Law on Special Measures, 2013).',
  '',
  'Sign in at `POST /api/v1/auth/login` and send the access token as `Authorization: Bearer <token>`. Routes under',
  '`/persons`, `/compliance`, `/alerts` and `/inbox` also need `X-Access-Reason` (a case or file number or a short',
  'justification); every read and write is audited with it. A `POST` may carry an `Idempotency-Key`: the same key with',
  'the same request answers the first answer again. Corrections send `If-Match` with the version read (its `ETag`).',
  '',
  'Errors are RFC 9457 problem details (`application/problem+json`, schema `Problem`) whose `type` is',
  '`urn:register:problem:<code>`; each operation lists the codes it may answer.',
].join('\n');

const VERBS = ['get', 'put', 'post', 'delete', 'patch'] as const;
type Verb = (typeof VERBS)[number];

const lowerFirst = (text: string): string => text.charAt(0).toLowerCase() + text.slice(1);

const FIELD_ERROR_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['field', 'message'],
  properties: {
    field: { type: 'string', example: 'jmbg' },
    message: { type: 'string', example: 'must be 13 digits with a valid check digit' },
  },
};

const PROBLEM_SCHEMA: SchemaObject = {
  type: 'object',
  description: 'RFC 9457 problem details. Extension members may follow (e.g. `retryAfter`).',
  required: ['type', 'title', 'status', 'detail', 'instance'],
  properties: {
    type: { type: 'string', enum: PROBLEM_CODES.map((code) => PROBLEM_TYPE_PREFIX + code) },
    title: { type: 'string', example: 'The request is not valid' },
    status: { type: 'integer', example: 400 },
    detail: { type: 'string', example: 'The request is not valid.' },
    instance: { type: 'string', example: '/api/v1/persons' },
    errors: { type: 'array', items: { $ref: '#/components/schemas/FieldError' } },
  },
  example: buildProblem('validation', 'The request is not valid.', '/api/v1/persons', [
    { field: 'jmbg', message: 'must be 13 digits with a valid check digit' },
  ]),
};

/** What each problem answer says happened, by code. */
const PROBLEM_DETAILS: Record<ProblemCode, string> = {
  validation: 'The request is not valid.',
  reason_required: 'Send X-Access-Reason: a case or file number or a short justification.',
  unauthenticated: 'Sign in first.',
  otp_required: 'Send the one-time code of your authenticator.',
  password_change_required: 'Change the temporary password first.',
  mfa_enrollment_required: 'Set up the second factor first.',
  forbidden: 'Your role may not do this.',
  not_found: 'No resource at this address.',
  method_not_allowed: 'The method is not allowed here.',
  conflict: 'The request conflicts with the current state.',
  version_mismatch: 'The resource has changed since you read it; read it again.',
  payload_too_large: 'The request body exceeds the allowed size.',
  unsupported_media_type: 'The request body must be sent as application/json.',
  idempotency_mismatch: 'The Idempotency-Key was used with another request.',
  precondition_required: 'Send If-Match with the version you read (its ETag).',
  rate_limited: 'Too many requests from this address; wait and try again.',
  unavailable: 'The service is unavailable; try again later.',
  internal: 'Something went wrong on our side.',
};

/**
 * Security, headers and problem answers of one operation, from its route's
 * declarations: public or signed in, an access reason, If-Match, a body.
 */
function completeOperation(operation: OperationObject, verb: Verb, path: string, controller: Function, method: string) {
  const handler = (controller.prototype as Record<string, Function>)[method];
  const access: AccessRequirement | undefined =
    Reflect.getMetadata(ACCESS_METADATA, handler) ?? Reflect.getMetadata(ACCESS_METADATA, controller);
  const isPublic = access?.kind === 'public';
  const needsReason =
    (Reflect.getMetadata(REASON_METADATA, handler) ?? Reflect.getMetadata(REASON_METADATA, controller)) === true;
  operation.security = isPublic ? [] : [{ [BEARER]: [] }];
  operation.summary ??= method;
  const answers: ApiAnswerDeclaration[] = Reflect.getMetadata(API_ANSWER_METADATA, handler) ?? [];
  for (const answer of answers) addSuccessAnswer(operation, verb, handler, answer);

  const parameters = (operation.parameters ?? []) as (ParameterObject | ReferenceObject)[];
  const named = (name: string) => parameters.some((p) => 'name' in p && p.name.toLowerCase() === name.toLowerCase());
  if (needsReason && !named('X-Access-Reason')) {
    parameters.push({
      name: 'X-Access-Reason',
      in: 'header',
      required: true,
      description: 'Why you access the record: a case or file number or a short justification (3-200 characters).',
      schema: { type: 'string', minLength: 3, maxLength: 200, example: 'KU-123/2026' },
    });
  }
  const isWrite = verb !== 'get';
  if (verb === 'post' && !isPublic && !named('Idempotency-Key')) {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'Retrying with the same key and body answers the first answer again instead of doing it twice.',
      schema: { type: 'string', minLength: 1, maxLength: 64, example: '5f0c2a9e-retry-1' },
    });
  }
  if (parameters.length > 0) operation.parameters = parameters;

  const hasBody = operation.requestBody !== undefined;
  const hasPathParameter = path.includes('{');
  const conditional = named('If-Match');
  const codes: ProblemCode[] = ['validation'];
  if (needsReason) codes.push('reason_required');
  if (!isPublic) codes.push('unauthenticated', 'forbidden', 'password_change_required', 'mfa_enrollment_required');
  if (hasPathParameter) codes.push('not_found');
  if (isWrite) codes.push('conflict');
  if (conditional) codes.push('version_mismatch', 'precondition_required');
  if (hasBody) codes.push('payload_too_large', 'unsupported_media_type');
  if (verb === 'post' && !isPublic) codes.push('idempotency_mismatch');
  codes.push('rate_limited');
  addProblemAnswers(operation, codes);
}

/** The view's schema at the route's success status (or the statuses it declares). */
function addSuccessAnswer(operation: OperationObject, verb: Verb, handler: Function, answer: ApiAnswerDeclaration) {
  if (answer.shape === 'file') {
    const status = String(Reflect.getMetadata(HTTP_CODE_METADATA, handler) ?? 200);
    const binary = { schema: { type: 'string', format: 'binary' } as SchemaObject };
    operation.responses[status] = {
      description: answer.description ?? 'The file',
      content: Object.fromEntries((answer.contentTypes ?? []).map((type) => [type, binary])),
    };
    return;
  }
  const refs = answer.views.map((view) => ({ $ref: `#/components/schemas/${view.name}` }));
  const view: SchemaObject | ReferenceObject = refs.length === 1 ? refs[0] : { oneOf: refs };
  const schema: SchemaObject | ReferenceObject =
    answer.shape === 'one'
      ? view
      : {
          type: 'object',
          required: answer.shape === 'page' ? ['items', 'nextCursor'] : ['items'],
          properties: {
            items: { type: 'array', items: view },
            ...(answer.shape === 'page' ? { nextCursor: NEXT_CURSOR } : {}),
          },
        };
  const own: number | undefined = Reflect.getMetadata(HTTP_CODE_METADATA, handler);
  const statuses = answer.statuses ?? [own ?? (verb === 'post' ? 201 : 200)];
  for (const status of statuses) {
    const declared = operation.responses[String(status)] as ResponseObject | undefined;
    operation.responses[String(status)] = {
      ...declared,
      description:
        declared?.description || answer.description || (answer.shape === 'page' ? 'A page' : (SUCCESS[status] ?? 'OK')),
      content: { 'application/json': { schema }, ...declared?.content },
    };
  }
}

const SUCCESS: Record<number, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted: held for approval' };

const NEXT_CURSOR: SchemaObject = {
  type: 'string',
  nullable: true,
  description: 'Send as `cursor` for the next page; null on the last page',
  example: 'eyJrIjpbIjIwMjYtMDEtMTUiXX0',
};

function addProblemAnswers(operation: OperationObject, codes: readonly ProblemCode[]): void {
  const byStatus = new Map<number, ProblemCode[]>();
  const add = (code: ProblemCode) => {
    const { status } = problemKind(code);
    if (!byStatus.get(status)?.includes(code)) byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  };
  codes.forEach(add);
  // A refusal a route declares itself (the readiness check's 503) is a problem too, whatever a library said.
  for (const status of Object.keys(operation.responses)) {
    if (/^[45]\d\d$/.test(status)) add(codeForStatus(Number(status)));
  }
  for (const [status, statusCodes] of byStatus) {
    const declared = operation.responses[String(status)] as ResponseObject | undefined;
    const content = {
      [PROBLEM_CONTENT_TYPE]: {
        schema: { $ref: '#/components/schemas/Problem' },
        examples: Object.fromEntries(statusCodes.map((code) => [code, { $ref: `#/components/examples/${code}` }])),
      },
    };
    const types = statusCodes.map((code) => `\`${code}\``).join(', ');
    // The declaration's own words, its first paragraph: not what a library appended.
    const own = declared?.description?.split('\n\n')[0];
    operation.responses[String(status)] = {
      description: own ? `${own} (${types})` : `Problem: ${types}`,
      content,
    };
  }
}
