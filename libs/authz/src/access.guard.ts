import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ACCESS_REASON_HEADER, AppConfig, DomainError, parseAccessReason, reasonRequired } from '@app/common';
import { AbilityFactory } from './ability.factory';
import { ACCESS_METADATA, type AccessRequirement, type AuthenticatedRequest, REASON_METADATA } from './permissions';
import type { Principal } from './principal';

export const JWT_STRATEGY = 'jwt';

/**
 * The global guard: authenticates the bearer token, then denies any route
 * that declares no access requirement, then checks the requirement. Order of
 * answers: 401 before 403, both before validation.
 */
@Injectable()
export class AccessGuard extends AuthGuard(JWT_STRATEGY) {
  constructor(
    private readonly reflector: Reflector,
    private readonly abilities: AbilityFactory,
    private readonly config: AppConfig,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const requirement = this.reflector.getAllAndOverride<AccessRequirement | undefined>(ACCESS_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (requirement?.kind === 'public') return true;

    await super.canActivate(context);
    const principal = request.user as Principal;

    if (!requirement) throw new DomainError('forbidden', 'This route is not available.');
    const allowsPasswordChange = requirement.kind === 'authenticated' && requirement.passwordChange;
    if (principal.scope === 'password_change' && !allowsPasswordChange) {
      throw new DomainError('password_change_required', 'The temporary password must be changed first.');
    }
    const allowsWithoutMfa = requirement.kind === 'authenticated' && requirement.withoutMfa;
    if (!principal.mfa && !allowsWithoutMfa && this.config.identity.mfaRequiredRoles.includes(principal.role)) {
      throw new DomainError(
        'mfa_enrollment_required',
        'This role must sign in with a second factor: enrol an authenticator, activate it, and sign in again.',
      );
    }
    if (requirement.kind === 'permission') {
      const ability = this.abilities.createForPrincipal(principal);
      if (!ability.can(requirement.action, requirement.subject)) {
        throw new DomainError('forbidden', 'Your role may not use this route.');
      }
    }
    // 401 and 403 come first; then a route of register data needs its reason.
    const needsReason = this.reflector.getAllAndOverride<boolean>(REASON_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    request.accessReason = parseAccessReason(request.headers[ACCESS_REASON_HEADER]);
    if (needsReason && request.accessReason === null) throw reasonRequired();
    return true;
  }

  /** Passport's verdict: any failure (missing, malformed, expired, revoked, badly signed) is one 401. */
  override handleRequest<TUser = Principal>(error: unknown, user: TUser | false): TUser {
    if (error instanceof DomainError) throw error;
    if (error || !user) throw new DomainError('unauthenticated', 'A valid access token is required.');
    return user;
  }
}
