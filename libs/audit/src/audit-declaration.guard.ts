import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { declareRequestAudit } from './audit-hooks';
import type { AuditedRequest } from './audited';

/** Runs before every other guard: the route's audit action is known even when access is refused. */
@Injectable()
export class AuditDeclarationGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuditedRequest>();
    declareRequestAudit(request, context.getHandler(), request.method);
    return true;
  }
}
