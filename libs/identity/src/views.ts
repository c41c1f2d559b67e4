import type { Role } from '@app/authz';
import type { AccountChangeKind, RoleChange, RoleChangeStatus } from './entities/role-change.entity';
import type { User } from './entities/user.entity';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

/** A user as the API shows it: never the password hash or MFA secrets. */
export interface UserView {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  organisation: string;
  region: string | null;
  /** The UIKS office of a registry clerk (none: national reach). */
  office: string | null;
  email: string | null;
  active: boolean;
  mfaEnrolled: boolean;
  passwordMustChange: boolean;
  lockedUntil: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export function toUserView(user: User): UserView {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    organisation: user.organisation,
    region: user.region,
    office: user.office,
    email: user.email,
    active: user.active,
    mfaEnrolled: user.mfaEnrolledAt !== null,
    passwordMustChange: user.passwordMustChange,
    lockedUntil: user.lockedUntil && user.lockedUntil > new Date() ? user.lockedUntil.toISOString() : null,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
    version: user.version,
  };
}

/** A new account: created by an admin (any role), inactive, with the pending activation's id. */
export type CreatedUserView = UserView & { pendingChangeId?: string };

/**
 * A change held for a second admin (a new role, the activation of a new
 * account, a password or MFA reset), as the admins see it: 202 to the
 * requester, then to be confirmed.
 */
export interface RoleChangeView {
  id: string;
  userId: string;
  kind: AccountChangeKind;
  role: Role;
  region: string | null;
  fromRole: Role | null;
  fromRegion: string | null;
  office: string | null;
  fromOffice: string | null;
  requestedBy: string;
  requestedAt: string;
  status: RoleChangeStatus;
  decidedBy: string | null;
  decidedAt: string | null;
}

export function toRoleChangeView(change: RoleChange): RoleChangeView {
  return {
    id: change.id,
    userId: change.userId,
    kind: change.kind,
    role: change.role,
    region: change.region,
    fromRole: change.fromRole,
    fromRegion: change.fromRegion,
    office: change.office,
    fromOffice: change.fromOffice,
    requestedBy: change.requestedBy,
    requestedAt: change.requestedAt.toISOString(),
    status: change.status,
    decidedBy: change.decidedBy,
    decidedAt: change.decidedAt?.toISOString() ?? null,
  };
}
