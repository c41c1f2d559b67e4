import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { AuthenticatedRequest } from '@app/authz';
import { actorOf, RequestAudit } from './request-audit';

export const AUDIT_METADATA = 'register:audit';

export interface AuditDeclaration {
  /** `<resource>.<verb>`, e.g. `user.create`. */
  action: string;
  /** The resource type recorded on the event, e.g. `user`. */
  resource?: string;
  /** Events of this route are flagged for review (privileged actions). */
  flagged?: boolean;
}

/** Declares the audit event of a route under /api/v1; every such route has one. */
export const Audited = (action: string, options: Omit<AuditDeclaration, 'action'> = {}): MethodDecorator =>
  SetMetadata(AUDIT_METADATA, { action, ...options } satisfies AuditDeclaration);

export type AuditedRequest = AuthenticatedRequest & { audit?: RequestAudit };

/**
 * The request's audit record, for the service to complete and write in its
 * transaction; the caller and the access reason are filled in from the guard.
 */
export const AuditContext = createParamDecorator((_: unknown, context: ExecutionContext): RequestAudit => {
  const request = context.switchToHttp().getRequest<AuditedRequest>();
  if (!request.audit) throw new Error('no audit record on this request');
  return syncFromRequest(request, request.audit);
});

/** Copies what the guard established (caller, reason) onto the audit record. */
export function syncFromRequest(request: AuditedRequest, audit: RequestAudit): RequestAudit {
  if (!audit.actor && request.user) audit.actor = actorOf(request.user);
  if (audit.reason === null && request.accessReason) audit.reason = request.accessReason;
  return audit;
}
