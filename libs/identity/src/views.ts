import { ApiProperty } from '@nestjs/swagger';
import { type Role, ROLES } from '@app/authz';
import {
  ACCOUNT_CHANGE_KINDS,
  type AccountChangeKind,
  type RoleChange,
  ROLE_CHANGE_STATUSES,
  type RoleChangeStatus,
} from './entities/role-change.entity';
import type { User } from './entities/user.entity';

export class TokenPair {
  @ApiProperty({ example: 'eyJhbGciOiJFUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiI1ZDZlIn0.c2lnbmF0dXJl' })
  accessToken!: string;

  @ApiProperty({ example: 'r1.4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f' })
  refreshToken!: string;

  @ApiProperty({ enum: ['Bearer'], example: 'Bearer' })
  tokenType!: 'Bearer';

  @ApiProperty({ description: 'Seconds the access token lasts', example: 900 })
  expiresIn!: number;
}

/** A user as the API shows it: never the password hash or MFA secrets. */
export class UserView {
  @ApiProperty({ format: 'uuid', example: '5d6e7f80-1a2b-4c3d-8e4f-9a0b1c2d3e4f' })
  id!: string;

  @ApiProperty({ example: 'm.jovanovic' })
  username!: string;

  @ApiProperty({ example: 'Milan Jovanović' })
  displayName!: string;

  @ApiProperty({ enum: ROLES, example: 'police_officer' })
  role!: Role;

  @ApiProperty({ example: 'MUP' })
  organisation!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The police administration of a regional role',
    example: 'PU-NIS',
  })
  region!: string | null;

  /** The UIKS office of a registry clerk (none: national reach). */
  @ApiProperty({ type: String, nullable: true, example: null })
  office!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'm.jovanovic@mup.gov.rs' })
  email!: string | null;

  @ApiProperty({ example: true })
  active!: boolean;

  @ApiProperty({ example: true })
  mfaEnrolled!: boolean;

  @ApiProperty({ example: false })
  passwordMustChange!: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  lockedUntil!: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-01-05T08:00:00.000Z' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-01-05T08:00:00.000Z' })
  updatedAt!: string;

  @ApiProperty({ example: 1 })
  version!: number;
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
export class CreatedUserView extends UserView {
  @ApiProperty({ required: false, format: 'uuid', example: '3c2b1a0f-9e8d-4c7b-a6f5-e4d3c2b1a0f9' })
  pendingChangeId?: string;
}

/**
 * A change held for a second admin (a new role, the activation of a new
 * account, a password or MFA reset), as the admins see it: 202 to the
 * requester, then to be confirmed.
 */
export class RoleChangeView {
  @ApiProperty({ format: 'uuid', example: '3c2b1a0f-9e8d-4c7b-a6f5-e4d3c2b1a0f9' })
  id!: string;

  @ApiProperty({ format: 'uuid', example: '5d6e7f80-1a2b-4c3d-8e4f-9a0b1c2d3e4f' })
  userId!: string;

  @ApiProperty({ enum: ACCOUNT_CHANGE_KINDS, example: 'role' })
  kind!: AccountChangeKind;

  @ApiProperty({ enum: ROLES, example: 'registry_clerk' })
  role!: Role;

  @ApiProperty({ type: String, nullable: true, example: null })
  region!: string | null;

  @ApiProperty({ enum: ROLES, nullable: true, example: 'police_officer' })
  fromRole!: Role | null;

  @ApiProperty({ type: String, nullable: true, example: 'PU-NIS' })
  fromRegion!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  office!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  fromOffice!: string | null;

  @ApiProperty({ format: 'uuid', example: '8e7d6c5b-4a3f-4e2d-9c1b-0a9f8e7d6c5b' })
  requestedBy!: string;

  @ApiProperty({ format: 'date-time', example: '2026-02-01T10:00:00.000Z' })
  requestedAt!: string;

  @ApiProperty({ enum: ROLE_CHANGE_STATUSES, example: 'pending' })
  status!: RoleChangeStatus;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, example: null })
  decidedBy!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  decidedAt!: string | null;
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
