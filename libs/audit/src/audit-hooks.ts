import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { buildProblem, PROBLEM_CONTENT_TYPE } from '@app/common';
import { AUDIT_METADATA, type AuditDeclaration, type AuditedRequest, syncFromRequest } from './audited';
import { type AuditLog, auditUnavailable } from './audit-log';
import { outcomeOfStatus, RequestAudit } from './request-audit';

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

/** Opens the audit record of a request under /api/v1. */
export function openRequestAudit(request: AuditedRequest): void {
  if (!request.url.startsWith(AUDITED_PREFIX)) return;
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
export function installAuditHooks(fastify: FastifyInstance, log: AuditLog): void {
  fastify.addHook('onSend', auditBeforeSend(log));
}

/**
 * The hook itself, also for answers sent where no hook runs (the router's
 * own refusals, see apps/api/src/http-app.ts): the payload to send.
 */
export function auditBeforeSend(
  log: AuditLog,
): (request: AuditedRequest, reply: FastifyReply, payload: unknown) => Promise<unknown> {
  return async (request, reply, payload) => {
    const audit = request.audit;
    if (!audit || audit.written) return payload;
    audit.written = true;
    if (!audit.action) audit.action = request.routeOptions.url ? 'http.request' : 'route.unknown';
    syncFromRequest(request, audit);
    try {
      await log.record(audit.toEvent(outcomeOfStatus(reply.statusCode), reply.statusCode));
      return payload;
    } catch {
      const instance = request.url.split('?')[0];
      reply.code(503).header('content-type', PROBLEM_CONTENT_TYPE).header('retry-after', '5').removeHeader('etag');
      return JSON.stringify(buildProblem('unavailable', auditUnavailable().detail, instance));
    }
  };
}
