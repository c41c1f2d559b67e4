import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { answeredOutOfReach, buildProblem, PROBLEM_CONTENT_TYPE, routedPath } from '@app/common';
import type { Principal } from '@app/authz';
import { AUDIT_METADATA, type AuditDeclaration, type AuditedRequest, syncFromRequest } from './audited';
import { type AuditLog, auditUnavailable } from './audit-log';
import { actorOf, outcomeOfStatus, RequestAudit } from './request-audit';

const AUDITED_PREFIX = '/api/v1/';
/** Query parameters recorded on events; cursors are opaque noise. */
const UNRECORDED_QUERY = new Set(['cursor']);

/**
 * PostgreSQL text and jsonb cannot hold U+0000: a NUL sent in a query string
 * (`?q=%00`) would make the event unwritable, and so every such request a 503
 * that leaves no trace. It is recorded as U+FFFD; values repeated as arrays
 * are cut like single ones.
 */
function recordable(value: unknown, length: number): unknown {
  if (typeof value === 'string') return value.slice(0, length).replaceAll('\u0000', '\ufffd');
  if (Array.isArray(value)) return value.slice(0, 20).map((item) => recordable(item, length));
  return value;
}

function sanitisedQuery(query: unknown): Record<string, unknown> | null {
  if (!query || typeof query !== 'object') return null;
  const entries = Object.entries(query as Record<string, unknown>)
    .filter(([key]) => !UNRECORDED_QUERY.has(key))
    .map(([key, value]) => [recordable(key, 64), recordable(value, 200)]);
  return entries.length > 0 ? Object.fromEntries(entries) : null;
}

/**
 * Whether a request is under /api/v1, decided as the router decided where it
 * goes: by the route it matched, or by its path as the router reads it (for
 * a request it matched to none, or to a wildcard such as a CORS preflight).
 * The raw URL would miss `/api/v%31/...` and `GET http://host/api/v1/...
 * HTTP/1.1`, which reach the same handlers.
 */
export function isApiRequest(request: FastifyRequest): boolean {
  return (
    request.routeOptions.url?.startsWith(AUDITED_PREFIX) === true || routedPath(request.url).startsWith(AUDITED_PREFIX)
  );
}

/** Opens the audit record of a request under /api/v1. */
export function openRequestAudit(request: AuditedRequest): void {
  if (!isApiRequest(request)) return;
  const userAgent = request.headers['user-agent'];
  request.audit = new RequestAudit(
    request.id,
    request.ip,
    typeof userAgent === 'string' ? userAgent.slice(0, 300) : null,
    sanitisedQuery(request.query),
  );
}

/** Reads the route's audit declaration into the record (the first thing the Nest pipeline does). */
export function declareRequestAudit(request: AuditedRequest, handler: Function, method: string): void {
  const audit = request.audit;
  if (!audit) return;
  const declaration = Reflect.getMetadata(AUDIT_METADATA, handler) as AuditDeclaration | undefined;
  if (!declaration) return;
  audit.action = declaration.action;
  if (declaration.resource) audit.resourceType = declaration.resource;
  if (declaration.flagged) audit.flagged = true;
  audit.successStatus = Reflect.getMetadata(HTTP_CODE_METADATA, handler) ?? (method === 'POST' ? 201 : 200);
}

/**
 * Before any response under /api/v1 leaves: if its event was not written
 * with the work (refusals, failures, routes with nothing to share a
 * transaction with), write it now. When that fails, the answer becomes 503
 * and nothing of the original body leaves.
 */
export function installAuditHooks(fastify: FastifyInstance, log: AuditLog, identify?: BearerIdentity): void {
  fastify.addHook('onSend', auditBeforeSend(log, identify));
}

/**
 * The caller of the request's bearer token when it is valid, verified as the
 * guard verifies it, else null. Supplied by the api, which has the token
 * verification (libs/identity is above this library).
 */
export type BearerIdentity = (request: FastifyRequest, reply: FastifyReply) => Promise<Principal | null>;

/**
 * The hook itself, also for answers sent where no hook runs (the router's
 * own refusals, see apps/api/src/http-app.ts): the payload to send.
 */
export function auditBeforeSend(
  log: AuditLog,
  identify?: BearerIdentity,
): (request: AuditedRequest, reply: FastifyReply, payload: unknown) => Promise<unknown> {
  return async (request, reply, payload) => {
    const audit = request.audit;
    if (!audit || audit.written) return payload;
    audit.written = true;
    // No declared action: the request was refused before the route's guards ran (its body, an unknown
    // route, a bad address), so nothing has looked at its token yet. A valid one names the actor.
    if (!audit.action && !request.user && identify) {
      const caller = await identify(request, reply).catch(() => null);
      if (caller) audit.actor = actorOf(caller);
    }
    if (!audit.action) audit.action = request.routeOptions.url ? 'http.request' : 'route.unknown';
    syncFromRequest(request, audit);
    try {
      // A record out of the caller's reach answers 404 like an absent one and is recorded as a denial.
      const outcome = answeredOutOfReach(request) ? 'denied' : outcomeOfStatus(reply.statusCode);
      await log.record(audit.toEvent(outcome, reply.statusCode));
      return payload;
    } catch {
      const instance = request.url.split('?')[0];
      reply.code(503).header('content-type', PROBLEM_CONTENT_TYPE).header('retry-after', '5').removeHeader('etag');
      return JSON.stringify(buildProblem('unavailable', auditUnavailable().detail, instance));
    }
  };
}
