import type { IncomingMessage } from 'node:http';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import { type DynamicModule, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';
import { Logger } from 'nestjs-pino';
import {
  type AppConfig,
  DomainError,
  MAX_UPLOAD_BYTES,
  MetricsService,
  RateLimiter,
  REQUEST_ID_HEADER,
  requestIdFrom,
  sendProblem,
} from '@app/common';
import { AuditLog, installAuditHooks, openRequestAudit } from '@app/audit';
import { ApiModule } from './api.module';

export const API_PREFIX = 'api/v1';

/**
 * Builds the HTTP application without listening: the production entry, the
 * single-process start and the e2e tests all use this one function.
 */
export async function createApiApp(
  config: AppConfig,
  /** Extra modules, for tests that probe the HTTP pipeline with routes of their own. */
  extraImports: DynamicModule['imports'] = [],
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
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
  fastify.removeContentTypeParser(['text/plain']);
  installRequestHooks(fastify, app.get(RateLimiter), app.get(MetricsService));
  installAuditHooks(fastify, app.get(AuditLog));

  // Photos come as multipart/form-data: one file, at most 5 MiB, nothing else.
  await app.register(multipart, {
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 0, parts: 1, headerPairs: 50 },
    throwFileSizeLimit: true,
  });
  await app.register(helmet, {
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
  });
  if (config.http.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.http.corsOrigins,
      credentials: false,
      exposedHeaders: ['ETag', 'X-Request-Id', 'Retry-After'],
    });
  }

  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
      { path: '.well-known/jwks.json', method: RequestMethod.GET },
    ],
  });
  if (config.http.docsEnabled) setUpApiDocs(app);
  return app;
}

/**
 * Hooks that run before routing, parsing and every guard: the request id on
 * every answer, the per-address rate limit (refused floods are not audited
 * one by one), and request metrics by route template.
 */
function installRequestHooks(fastify: FastifyInstance, limiter: RateLimiter, metrics: MetricsService): void {
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    const decision = await limiter.hit(request.ip);
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
      return reply;
    }
    // Past the limit: from here on every request under /api/v1 leaves exactly one audit event.
    openRequestAudit(request);
  });
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });
}

function setUpApiDocs(app: NestFastifyApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Special register (posebna evidencija)')
      .setDescription(
        'Register of persons convicted of sexual offences against minors (Law on Special Measures, 2013). ' +
          'Errors are RFC 9457 problem details with type urn:register:problem:<code>.',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json', useGlobalPrefix: false });
}
