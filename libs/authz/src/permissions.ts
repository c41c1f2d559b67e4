import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { Action, Subject } from './subjects';
import type { Principal } from './principal';

export const ACCESS_METADATA = 'register:access';
export const REASON_METADATA = 'register:access-reason';

/** Routes under /persons, /compliance, /alerts and /inbox: every request carries X-Access-Reason. */
export const RequiresReason = (): MethodDecorator & ClassDecorator => SetMetadata(REASON_METADATA, true);

/** What a route requires. Every route declares one; the guard refuses routes that do not. */
export type AccessRequirement =
  | { kind: 'public' }
  | { kind: 'authenticated'; withoutMfa: boolean; passwordChange: boolean }
  | { kind: 'permission'; action: Action; subject: Subject };

/** No authentication (login, refresh, health, keys, docs). */
export const Public = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_METADATA, { kind: 'public' } satisfies AccessRequirement);

/**
 * Any signed-in user, whatever the role (their own account routes).
 * `withoutMfa`: also before a required second factor is set up (MFA and `me`
 * routes). `passwordChange`: also with a temporary-password token.
 */
export const Authenticated = (options: { withoutMfa?: boolean; passwordChange?: boolean } = {}): MethodDecorator =>
  applyDecorators(
    SetMetadata(ACCESS_METADATA, {
      kind: 'authenticated',
      withoutMfa: options.withoutMfa ?? false,
      passwordChange: options.passwordChange ?? false,
    } satisfies AccessRequirement),
    ApiBearerAuth(),
  );

/** Roles whose ability allows `action` on `subject`; instances are checked again in the service. */
export const Permission = (action: Action, subject: Subject): MethodDecorator =>
  applyDecorators(
    SetMetadata(ACCESS_METADATA, { kind: 'permission', action, subject } satisfies AccessRequirement),
    ApiBearerAuth(),
  );

export type AuthenticatedRequest = FastifyRequest & { user?: Principal; accessReason?: string | null };

/** The authenticated caller (set by the access guard). */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.user) throw new Error('no principal on an authenticated route');
  return request.user;
});
