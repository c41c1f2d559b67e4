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
import { User } from './user.entity';

export const SESSION_END_REASONS = [
  'logout',
  'refresh_reuse',
  'deactivated',
  'password_changed',
  'password_reset',
  'mfa_reset',
  'role_changed',
  'admin_revoked',
] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

/** A sign-in: one refresh-token family. Access tokens name it (`sid`) so it can be revoked. */
@Entity({ name: 'sessions' })
@Check('sessions_expiry_check', `"expires_at" > "created_at"`)
@Check('sessions_revoked_check', `("revoked_at" IS NULL) = ("revoked_reason" IS NULL)`)
@Check('sessions_revoked_reason_check', `"revoked_reason" IN (${SESSION_END_REASONS.map((r) => `'${r}'`).join(', ')})`)
export class Session {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  /** Signed in with a second factor. */
  @Column({ type: 'boolean' })
  mfaVerified: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  lastRefreshedAt: Date;

  /** The absolute end (12 hours after sign-in by default). */
  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Index({ where: 'revoked_at IS NOT NULL' })
  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  revokedReason: SessionEndReason | null;
}
