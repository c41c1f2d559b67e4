import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  type Relation,
  VersionColumn,
} from 'typeorm';
import { Person } from './person.entity';
import { ReferralItem } from './referral-item.entity';

export const REFERRAL_OUTCOMES = ['charged', 'dismissed', 'convicted'] as const;
export type ReferralOutcome = (typeof REFERRAL_OUTCOMES)[number];

/**
 * A breach or an unresolved alert (its items) referred to the public
 * prosecutor. While it has no outcome the person is `non_compliant`; the
 * outcome (with its day, and the case number when charged or convicted) is
 * recorded later. Voided, never deleted, when recorded by mistake.
 */
@Entity({ name: 'referrals' })
@Check('referrals_outcome_check', `"outcome" IS NULL OR "outcome" IN ('charged', 'dismissed', 'convicted')`)
@Check(
  'referrals_outcome_fields_check',
  `("outcome" IS NULL) = ("outcome_on" IS NULL) AND ("outcome" IN ('charged', 'convicted')) = ("case_number" IS NOT NULL)`,
)
@Check('referrals_outcome_order_check', `"outcome_on" IS NULL OR "outcome_on" >= "referred_on"`)
@Check(
  'referrals_void_check',
  `("voided_at" IS NULL) = ("voided_by" IS NULL) AND ("voided_at" IS NULL) = ("void_reason" IS NULL)`,
)
@Index('referrals_open_idx', ['personId'], { where: 'outcome IS NULL AND voided_at IS NULL' })
@Index(['personId', 'referredOn'])
export class Referral {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  personId: string;

  @ManyToOne(() => Person, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: Relation<Person>;

  /** The public prosecutor's office referred to (free text, bounded). */
  @Column({ type: 'text' })
  prosecutorOffice: string;

  @Column({ type: 'date' })
  referredOn: string;

  @Column({ type: 'uuid' })
  referredBy: string;

  @Column({ type: 'text', nullable: true })
  outcome: ReferralOutcome | null;

  @Column({ type: 'date', nullable: true })
  outcomeOn: string | null;

  /** When the first outcome was recorded (a statistic as of a past day counts it only from then). */
  @Column({ type: 'timestamptz', nullable: true })
  outcomeRecordedAt: Date | null;

  /** The prosecutor's or court's case number (charged, convicted). */
  @Column({ type: 'text', nullable: true })
  caseNumber: string | null;

  /** Loaded with the referral, and inserted with a new one. */
  @OneToMany(() => ReferralItem, (item) => item.referral, { eager: true, cascade: ['insert'] })
  items?: Relation<ReferralItem[]>;

  @Column({ type: 'timestamptz', nullable: true })
  voidedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  voidedBy: string | null;

  @Column({ type: 'text', nullable: true })
  voidReason: string | null;

  @VersionColumn({ default: 1 })
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
