import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { type Role, ROLES } from '@app/authz';
import { PoliceAdministration } from '../reference/police-administration.entity';
import { UiksOffice } from '../reference/uiks-office.entity';
import { User } from './user.entity';

/**
 * What a pending change does when confirmed: apply a role (`role`), activate
 * a new account (`activation`), or reset the password or second factor of an
 * account (`password_reset`, `mfa_reset`).
 */
export const ACCOUNT_CHANGE_KINDS = ['role', 'activation', 'password_reset', 'mfa_reset'] as const;
export type AccountChangeKind = (typeof ACCOUNT_CHANGE_KINDS)[number];

export const ROLE_CHANGE_STATUSES = ['pending', 'confirmed', 'superseded'] as const;
export type RoleChangeStatus = (typeof ROLE_CHANGE_STATUSES)[number];

const list = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(', ');

/**
 * A change of an account held for a second admin, whatever the role, admin
 * included (an admin account could otherwise confirm the held changes of the
 * admin who made it): a new role, the activation of a new account, a
 * password or MFA reset.
 * Requested by one admin, applied only when another admin (never the
 * account itself) confirms it. A newer request of the same kind, or another
 * change of the account's role, supersedes a pending one.
 */
@Entity({ name: 'user_role_changes' })
@Index('user_role_changes_pending_key', ['userId', 'kind'], { unique: true, where: `status = 'pending'` })
@Check('user_role_changes_kind_check', `"kind" IN (${list(ACCOUNT_CHANGE_KINDS)})`)
@Check('user_role_changes_from_role_check', `("kind" = 'activation') = ("from_role" IS NULL)`)
@Check('user_role_changes_role_check', `"role" IN (${list(ROLES)})`)
@Check('user_role_changes_region_check', `("role" = 'police_officer') = ("region" IS NOT NULL)`)
@Check('user_role_changes_office_check', `"office" IS NULL OR "role" = 'registry_clerk'`)
@Check('user_role_changes_status_check', `"status" IN (${list(ROLE_CHANGE_STATUSES)})`)
@Check('user_role_changes_decided_check', `("status" = 'pending') = ("decided_at" IS NULL)`)
@Check('user_role_changes_requester_check', `"requested_by" <> "user_id"`)
@Check(
  'user_role_changes_confirmer_check',
  `"status" <> 'confirmed' OR ("decided_by" IS NOT NULL AND "decided_by" <> "requested_by" AND "decided_by" <> "user_id")`,
)
export class RoleChange {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ type: 'text', default: 'role' })
  kind: AccountChangeKind;

  /**
   * The role requested, and the police administration with it (police
   * officers only); for a reset, the account's role and region when requested.
   */
  @Column({ type: 'text' })
  role: Role;

  @Column({ type: 'text', nullable: true })
  region: string | null;

  @ManyToOne(() => PoliceAdministration, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'region', referencedColumnName: 'code' })
  regionAdministration?: Relation<PoliceAdministration>;

  /**
   * The account's role and region when requested: a confirmation applies
   * only to that state. None for the activation of a new account.
   */
  @Column({ type: 'text', nullable: true })
  fromRole: Role | null;

  @Column({ type: 'text', nullable: true })
  fromRegion: string | null;

  /** The UIKS office given with the role (registry clerks only), and the account's office when requested. */
  @Column({ type: 'text', nullable: true })
  office: string | null;

  @ManyToOne(() => UiksOffice, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'office', referencedColumnName: 'code' })
  uiksOffice?: Relation<UiksOffice>;

  @Column({ type: 'text', nullable: true })
  fromOffice: string | null;

  @Column({ type: 'uuid' })
  requestedBy: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'requested_by' })
  requester?: Relation<User>;

  @CreateDateColumn({ type: 'timestamptz' })
  requestedAt: Date;

  @Column({ type: 'text', default: 'pending' })
  status: RoleChangeStatus;

  /** Who confirmed it, or whose change superseded it (null: an operator at the command line). */
  @Column({ type: 'uuid', nullable: true })
  decidedBy: string | null;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'decided_by' })
  decider?: Relation<User>;

  @Column({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null;
}
