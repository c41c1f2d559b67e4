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
  VersionColumn,
} from 'typeorm';
import { Address } from './address.entity';
import { Person } from './person.entity';

export const ADDRESS_CHECK_OUTCOMES = ['confirmed', 'absent', 'moved', 'refused'] as const;
export type AddressCheckOutcome = (typeof ADDRESS_CHECK_OUTCOMES)[number];

/**
 * Police checked whether the person lives at one of their addresses; voided,
 * never deleted, when recorded by mistake. `policeAdministration` is the
 * address's (where the check was made), kept with the check.
 */
@Entity({ name: 'address_checks' })
@Check('address_checks_outcome_check', `"outcome" IN ('confirmed', 'absent', 'moved', 'refused')`)
@Check(
  'address_checks_void_check',
  `("voided_at" IS NULL) = ("voided_by" IS NULL) AND ("voided_at" IS NULL) = ("void_reason" IS NULL)`,
)
@Index('address_checks_address_idx', ['addressId', 'checkedAt'], { where: 'voided_at IS NULL' })
@Index(['personId', 'checkedAt'])
export class AddressCheck {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  personId: string;

  @ManyToOne(() => Person, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: Relation<Person>;

  @Column({ type: 'uuid' })
  addressId: string;

  @ManyToOne(() => Address, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'address_id' })
  address?: Relation<Address>;

  /** The address's police administration. */
  @Column({ type: 'text' })
  policeAdministration: string;

  @Column({ type: 'timestamptz' })
  checkedAt: Date;

  @Column({ type: 'text' })
  outcome: AddressCheckOutcome;

  @Column({ type: 'text' })
  note: string;

  @Column({ type: 'uuid' })
  recordedBy: string;

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
