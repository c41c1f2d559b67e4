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
import { UiksOffice } from '@app/identity';
import { Measure } from './measure.entity';
import { Person } from './person.entity';

export const CHECK_IN_METHODS = ['in_person'] as const;
/** Where the person reported: at the police administration, or at a UIKS office. */
export const REPORTING_AUTHORITIES = ['police', 'uiks'] as const;
export type ReportingAuthority = (typeof REPORTING_AUTHORITIES)[number];

/** A person reporting in under a periodic reporting measure; voided, never deleted, when recorded by mistake. */
@Entity({ name: 'check_ins' })
@Check('check_ins_method_check', `"method" IN ('in_person')`)
@Check(
  'check_ins_void_check',
  `("voided_at" IS NULL) = ("voided_by" IS NULL) AND ("voided_at" IS NULL) = ("void_reason" IS NULL)`,
)
@Check(
  'check_ins_authority_check',
  `"authority" IN ('police', 'uiks') AND ("authority" = 'uiks') = ("office" IS NOT NULL)`,
)
@Index('check_ins_measure_idx', ['measureId', 'occurredAt'], { where: 'voided_at IS NULL' })
/** The check-ins of a measure as of a past moment (voided ones included): compliance as of a day (Statistics). */
@Index('check_ins_measure_as_of_idx', ['measureId', 'occurredAt', 'createdAt'])
@Index(['personId', 'occurredAt'])
export class CheckIn {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  personId: string;

  @ManyToOne(() => Person, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: Relation<Person>;

  @Column({ type: 'uuid' })
  measureId: string;

  @ManyToOne(() => Measure, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'measure_id' })
  measure?: Relation<Measure>;

  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'text' })
  place: string;

  @Column({ type: 'text' })
  method: string;

  @Column({ type: 'uuid' })
  recordedBy: string;

  /** The authority the person reported to; a check-in satisfies only that authority's schedule. */
  @Column({ type: 'text', default: 'police' })
  authority: ReportingAuthority;

  /** The UIKS office reported at (authority uiks only). */
  @Column({ type: 'text', nullable: true })
  office: string | null;

  @ManyToOne(() => UiksOffice, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'office', referencedColumnName: 'code' })
  uiksOffice?: Relation<UiksOffice>;

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
