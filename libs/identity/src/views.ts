import type { Role } from '@app/authz';
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
