import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, sendProblem } from '@app/common';

const CONSOLE_PAGE = /^\/console(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*\/?$/;

/** Where `npm run build` puts the console (vite); `CONSOLE_DIR` moves it (tests). */
export function consoleDir(): string {
  return path.resolve(process.env.CONSOLE_DIR ?? path.join('dist', 'console'));
}

/**
 * The web console at /console: hashed assets cached for a year, and
 * index.html (no-cache) for /console and every path below it, so deep links
 * (`/console/alerts/:id` in the reminders) open the right page. These are not
 * api routes: nothing here is audited or needs a token, and the api's
 * security headers (helmet's CSP) apply. Without a build, a 404 problem.
 */
export async function serveConsole(app: NestFastifyApplication, dir = consoleDir()): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  const indexFile = path.join(dir, 'index.html');
  // The site's root is the console: a browser pointed at the server lands on the sign-in page.
  fastify.get('/', (_request, reply) => reply.redirect('/console', 302));
  if (!existsSync(indexFile)) {
    const notBuilt = (request: FastifyRequest, reply: FastifyReply): void =>
      sendProblem(request, reply, DomainError.notFound('The console is not built here: run `npm run build`.'));
    fastify.get('/console', notBuilt);
    fastify.get('/console/*', notBuilt);
    return;
  }
  const index = readFileSync(indexFile);
  await app.register(fastifyStatic, {
    root: path.join(dir, 'assets'),
    prefix: '/console/assets/',
    // The docs UI registers the plugin too; only one may decorate the reply.
    decorateReply: false,
    index: false,
    immutable: true,
    maxAge: '365d',
  });
  const sendIndex = (request: FastifyRequest, reply: FastifyReply): void => {
    // The console's own paths are plain segments (words, ids); anything else (`..`, encoded slashes) is no page.
    if (!CONSOLE_PAGE.test((request.url ?? '').split('?')[0])) {
      sendProblem(request, reply, DomainError.notFound('No resource at this address.'));
      return;
    }
    reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(index);
  };
  fastify.get('/console', sendIndex);
  fastify.get('/console/*', sendIndex);
}
