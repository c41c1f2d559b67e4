import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import multipart from '@fastify/multipart';
import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Logger, PinoLogger } from 'nestjs-pino';
import helmet from 'helmet';
import passport from 'passport';
import {
  type AppConfig,
  buildProblem,
  capConnectionsPerAddress,
  DomainError,
  exceededJsonBound,
  MAX_UPLOAD_BYTES,
  MetricsService,
  PROBLEM_CONTENT_TYPE,
  RateLimiter,
  REQUEST_ID_HEADER,
  requestIdFrom,
  requestLogLevel,
  sendProblem,
  serverTimeouts,
  toProblem,
  wellFormedText,
} from '@app/common';
import { JWT_STRATEGY, type Principal } from '@app/authz';
import {
  AuditLog,
  auditBeforeSend,
  type BearerIdentity,
  installAuditHooks,
  isApiRequest,
  openRequestAudit,
} from '@app/audit';
import { ApiModule } from './api.module';
import { API_PREFIX, serveApiDocument, useApiPrefix } from './api-document';
import { serveConsole } from './console-static';

/**
 * Builds the HTTP application without listening: the production entry, the
 * single-process start and the e2e tests all use this one function.
 */
export async function createApiApp(
  config: AppConfig,
  /** Extra modules, for tests that probe the HTTP pipeline with routes of their own. */
  extraImports: DynamicModule['imports'] = [],
): Promise<NestFastifyApplication> {
  // Set once the application exists (it holds the rate limiter and the audit log).
  let onRouterRefusal = (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    sendProblem(request, reply, error);
  };
  // Slow connections: headers, whole requests and idle kept-alive connections end after their timeouts
  // (408 for the first two); a silent connection is one whose headers never come.
  const timeouts = serverTimeouts(config.http);
  const adapter = new FastifyAdapter({
    http: timeouts,
    // Fastify sets these on the server after creating it (its own defaults otherwise: 72 s, none).
    keepAliveTimeout: timeouts.keepAliveTimeout,
    requestTimeout: timeouts.requestTimeout,
    // A connection silent for this long is dropped (a client that stops reading an answer); twice the
    // request timeout, so that the request timeout answers 408 first and long work is not cut.
    connectionTimeout: 2 * timeouts.requestTimeout,
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) =>
      onRouterRefusal(error, request, reply),
    clientErrorHandler: answerClientError,
    bodyLimit: config.http.bodyLimitBytes,
    trustProxy: config.http.trustProxy,
    requestIdHeader: false,
    genReqId: (req: IncomingMessage) => requestIdFrom(req.headers[REQUEST_ID_HEADER]),
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    logger: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.register(config, extraImports), adapter, {
    bufferLogs: true,
    // Fastify's own JSON parser only: no form bodies, no text bodies.
    bodyParser: false,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.flushLogs();

  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  capConnectionsPerAddress(fastify.server, config.http.maxConnectionsPerAddress);
  fastify.removeContentTypeParser(['text/plain']);
  guardJsonBodies(fastify);
  const limits = { limiter: app.get(RateLimiter), routes: routeLimits(config) };
  installRequestHooks(fastify, limits, app.get(MetricsService));
  installAuditHooks(fastify, app.get(AuditLog), bearerCaller);
  onRouterRefusal = routerRefusalHandler(limits, app.get(AuditLog));

  // Photos come as multipart/form-data: one file, at most 5 MiB, nothing else.
  await app.register(multipart, {
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 0, parts: 1, headerPairs: 50 },
    throwFileSizeLimit: true,
  });
  installSecurityHeaders(fastify);
  if (config.http.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.http.corsOrigins,
      // The contract's methods; without the list the CORS plugin grants only GET, HEAD and POST, and a
      // browser's preflight for a PATCH or a PUT (corrections, with If-Match) fails.
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH'],
      credentials: false,
      exposedHeaders: ['ETag', 'X-Request-Id', 'Retry-After'],
    });
  }

  await serveConsole(app);

  useApiPrefix(app);
  if (config.http.docsEnabled) serveApiDocument(app);
  return app;
}

/** The rate limiter, and the routes with a stricter limit of their own (requests per address and minute). */
interface Limits {
  limiter: RateLimiter;
  routes: ReadonlyMap<string, number>;
}

/**
 * The public verification of vetting certificates may be asked by anyone:
 * its own limit keeps numbers from being tried in bulk from one address.
 */
function routeLimits(config: AppConfig): ReadonlyMap<string, number> {
  return new Map([[`/${API_PREFIX}/vetting/verify/:certificateNumber`, config.vetting.verifyPerMinute]]);
}

/**
 * Helmet's security headers on every answer that reaches the hooks. They
 * are the same for every request, so helmet runs once, at start, into a
 * list that each request copies (the Fastify plugin built helmet anew, and
 * parsed the content security policy again, for every request).
 */
function installSecurityHeaders(fastify: FastifyInstance): void {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = value),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  helmet({
    // The API serves JSON and the docs page; nothing else may run scripts.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        frameAncestors: ["'none'"],
      },
    },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  })({} as IncomingMessage, recorder as unknown as ServerResponse, () => undefined);
  fastify.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}

/**
 * Hooks that run before routing, parsing and every guard: the request id on
 * every answer, the per-address rate limit (refused floods are not audited
 * one by one), and request metrics by route template.
 */
function installRequestHooks(fastify: FastifyInstance, limits: Limits, metrics: MetricsService): void {
  fastify.addHook('onRequest', async (request, reply) => {
    if (!(await admit(request, reply, limits))) return reply;
  });
  // A request cut off by its timeout was answered 408 on its socket (answerClientError). The pipeline's
  // refusal of the broken body never leaves; it becomes that 408, so the audit event records what was sent.
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (!timedOut.has(request.raw.socket)) return payload;
    reply.code(408).type(PROBLEM_CONTENT_TYPE);
    return JSON.stringify({
      ...buildProblem('validation', REQUEST_TIMEOUT_DETAIL, request.url.split('?')[0]),
      status: 408,
    });
  });
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    logRequest(request, reply);
  });
}

/**
 * Each answered request's line, as pino-http wrote it (`request completed`,
 * the request as `loggedRequest` shows it, the status, the time taken and the
 * request id), from the logger the logger module configured (its
 * serializers take the raw request and response, as pino-http gave them).
 */
function logRequest(request: FastifyRequest, reply: FastifyReply): void {
  const root = PinoLogger.root as PinoLogger['logger'] | undefined;
  const level = requestLogLevel(reply.statusCode);
  if (!root?.isLevelEnabled(level)) return;
  const req = request.raw as IncomingMessage & { id?: string };
  req.id = request.id;
  root[level](
    { req, res: reply.raw, responseTime: Math.round(reply.elapsedTime), requestId: request.id },
    'request completed',
  );
}

const REQUEST_TIMEOUT_DETAIL = 'The request did not arrive in time.';

/** Connections closed with a 408: headers or a body that did not arrive within their timeouts. */
const timedOut = new WeakSet<Socket>();

/**
 * Node refuses a request it cannot parse (request line and headers over its
 * 16 KiB, broken HTTP) before Fastify sees it, and Fastify would answer in
 * its own JSON. Answer with a problem instead; no request id could be read,
 * so a new one. Nothing was parsed, so nothing is audited.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') timedOut.add(socket);
  const [status, reason, detail] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'The request line and headers are larger than allowed.']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', REQUEST_TIMEOUT_DETAIL]
        : [400, 'Bad Request', 'The request could not be read.'];
  const body = JSON.stringify({ ...buildProblem('validation', detail, '/'), status });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestIdFrom(undefined)}\r\n` +
        `X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/**
 * Fastify's own JSON parser (prototype poisoning refused), behind two checks
 * that keep hostile bodies from costing the event loop or turning into
 * 500s. Before parsing, one pass over the text holds it to JSON_BODY_BOUNDS
 * (depth, properties per object, items per list, text length, values in
 * all): a body of 80,000 keys under the size limit took seconds to validate,
 * and a body nested thousands deep overflows the stack of the recursive
 * validation. After parsing, no lone surrogate (`"\ud800"`, valid JSON, not
 * Unicode text), which makes validators that call `encodeURI` throw
 * (class-validator's `IsEmail`). Each is one 400.
 */
function guardJsonBodies(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const exceeded = exceededJsonBound(body as string);
    if (exceeded) {
      done(DomainError.validation([], `The request body ${exceeded}.`), undefined);
      return;
    }
    parse(request, body as string, (error, value) => {
      if (!error && !wellFormedText(value)) {
        done(DomainError.validation([], 'The request body contains text that is not valid Unicode.'), undefined);
        return;
      }
      done(error, value);
    });
  });
}

/**
 * The caller of a valid bearer token, for the audit event of a request
 * refused before the guard looked at it (a body that could not be parsed,
 * an unknown route): verified by the guard's own passport strategy
 * (signature, issuer, audience, expiry, a session not revoked), so an
 * invalid token names nobody.
 */
const bearerCaller: BearerIdentity = (request, reply) => {
  const authorization = request.headers.authorization;
  if (typeof authorization !== 'string' || !/^bearer\s/i.test(authorization)) return Promise.resolve(null);
  return new Promise((resolve) => {
    passport.authenticate(JWT_STRATEGY, { session: false }, (error: unknown, user: Principal | false) =>
      resolve(error || !user ? null : user),
    )(request, reply, () => resolve(null));
  });
};

/**
 * The request id, then the rate limit (answering 429 when it is spent), then
 * the audit record: false when the request was refused and answered.
 */
async function admit(request: FastifyRequest, reply: FastifyReply, limits: Limits): Promise<boolean> {
  reply.header(REQUEST_ID_HEADER, request.id);
  // Register data, tokens and refusals about them: no cache may keep any of it (a route may say otherwise).
  if (isApiRequest(request)) reply.header('cache-control', 'no-store');
  // Helmet sets it too, but its hook never runs for the answers sent here (429) or by the router's refusals.
  reply.header('x-content-type-options', 'nosniff');
  let decision = await limits.limiter.hit(request.ip);
  const route = request.routeOptions?.url;
  const ownLimit = route === undefined ? undefined : limits.routes.get(route);
  if (decision.allowed && route !== undefined && ownLimit !== undefined) {
    decision = await limits.limiter.hitRoute(route, ownLimit, request.ip);
  }
  reply.header('ratelimit-limit', decision.limit);
  reply.header('ratelimit-remaining', decision.remaining);
  if (!decision.allowed) {
    sendProblem(
      request,
      reply,
      new DomainError('rate_limited', 'Too many requests from this address; wait and try again.', undefined, {
        'retry-after': String(decision.retryAfterSeconds),
      }),
    );
    return false;
  }
  // Past the limit: from here on every request under /api/v1 leaves exactly one audit event.
  openRequestAudit(request);
  return true;
}

/**
 * The router refuses a path that is not valid percent-encoding (`%ZZ`,
 * `%FF%FE`) or has a parameter longer than it matches, before any hook runs;
 * Fastify would answer in its own JSON, naming its error code, without the
 * request id, the rate limit or an audit event. These answers go the way of
 * every other refusal instead: rate limited, a problem, audited.
 */
function routerRefusalHandler(
  limits: Limits,
  log: AuditLog,
): (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => void {
  const audit = auditBeforeSend(log, bearerCaller);
  return (error, request, reply) => {
    const answer = async (): Promise<void> => {
      if (!(await admit(request, reply, limits))) return;
      const refusal =
        error.code === 'FST_ERR_BAD_URL'
          ? DomainError.validation([], 'The address is not valid percent-encoded UTF-8.')
          : error.code === 'FST_ERR_MAX_PARAM_LENGTH'
            ? DomainError.notFound('No resource at this address.')
            : error;
      const { problem, headers } = toProblem(refusal, (request.url ?? '/').split('?')[0]);
      reply.status(problem.status).headers(headers).type(PROBLEM_CONTENT_TYPE);
      reply.send(await audit(request, reply, JSON.stringify(problem)));
    };
    answer().catch((failure: unknown) => {
      if (!reply.sent) sendProblem(request, reply, failure);
    });
  };
}
