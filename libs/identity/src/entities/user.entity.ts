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
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { PoliceAdministration } from '../reference/police-administration.entity';
import { UiksOffice } from '../reference/uiks-office.entity';
import type { Role } from '@app/authz';

/** An account of a person working with the register. Never deleted: deactivated. */
@Entity({ name: 'users' })
// Unique regardless of case; an expression index, created by the migration.
@Index('users_username_lower_key', { synchronize: false })
@Index(['role', 'region'])
@Check('users_username_check', `"username" ~ '^[A-Za-z0-9._-]{3,64}$'`)
@Check(
  'users_role_check',
  `"role" IN ('admin', 'registry_clerk', 'police_officer', 'judicial_officer', 'auditor', 'vetting_officer')`,
)
@Check('users_region_check', `("role" = 'police_officer') = ("region" IS NOT NULL)`)
@Check('users_office_check', `"office" IS NULL OR "role" = 'registry_clerk'`)
@Check('users_display_name_check', `length("display_name") BETWEEN 1 AND 200`)
@Check('users_organisation_check', `length("organisation") BETWEEN 1 AND 200`)
@Check('users_email_check', `"email" IS NULL OR "email" ~ '^[^@\\s]+@[^@\\s]+$'`)
@Check('users_failed_logins_check', `"failed_logins" >= 0`)
@Check('users_mfa_check', `("mfa_enrolled_at" IS NULL) = ("mfa_secret" IS NULL)`)
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  username: string;

  @Column({ type: 'text' })
  displayName: string;

  @Column({ type: 'text' })
  role: Role;

  @Column({ type: 'text' })
  organisation: string;

  /** Police administration code; set for police officers only. */
  @Column({ type: 'text', nullable: true })
  region: string | null;

  @ManyToOne(() => PoliceAdministration, { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'region', referencedColumnName: 'code' })
  regionAdministration?: Relation<PoliceAdministration>;

  /** The UIKS office a registry clerk belongs to; none: national reach. Clerks only. */
  @Column({ type: 'text', nullable: true })
  office: string | null;

  @ManyToOne(() => UiksOffice, { onDelete: 'NO ACTION' })
  @JoinColumn({ name: 'office', referencedColumnName: 'code' })
  uiksOffice?: Relation<UiksOffice>;

  @Column({ type: 'text', nullable: true })
  email: string | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ type: 'text' })
  passwordHash: string;

  /** Set by an admin reset: the temporary password only allows changing it. */
  @Column({ type: 'boolean', default: false })
  passwordMustChange: boolean;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  passwordChangedAt: Date;

  /** TOTP secret, encrypted (AES-256-GCM). */
  @Column({ type: 'text', nullable: true })
  mfaSecret: string | null;

  /** A secret being enrolled, not yet activated, encrypted. */
  @Column({ type: 'text', nullable: true })
  mfaPendingSecret: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  mfaEnrolledAt: Date | null;

  /** The last TOTP time step accepted: each code is accepted once. */
  @Column({ type: 'bigint', nullable: true })
  totpLastStep: string | null;

  /**
   * Attempt slots taken in the current window: consecutive failures plus the
   * attempts in flight, each counted before its secret is checked (SignInAttempts).
   */
  @Column({ type: 'integer', default: 0 })
  failedLogins: number;

  /** Set when every slot is taken and a guess fails or another arrives; its running out opens a new window. */
  @Column({ type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  @VersionColumn({ default: 1 })
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
