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
import { Measure } from './measure.entity';
import { Person } from './person.entity';
import { Place } from './place.entity';

export const BREACH_KINDS = ['travel_without_notice', 'other'] as const;
export type BreachKind = (typeof BREACH_KINDS)[number];

/** A reported breach of a measure; it raises an alert. Voided, never deleted, when recorded by mistake. */
@Entity({ name: 'breaches' })
@Check('breaches_kind_check', `"kind" IN ('travel_without_notice', 'other')`)
@Check(
  'breaches_void_check',
  `("voided_at" IS NULL) = ("voided_by" IS NULL) AND ("voided_at" IS NULL) = ("void_reason" IS NULL)`,
)
@Index(['personId', 'occurredAt'])
export class Breach {
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
  description: string;

  /** travel_without_notice: travel abroad discovered later (under a notify_travel_abroad measure). */
  @Column({ type: 'text', default: 'other' })
  kind: BreachKind;

  /** Where a breach of the ban on places with minors happened (a place of the reference data), if known. */
  @Column({ type: 'uuid', nullable: true })
  placeId: string | null;

  @ManyToOne(() => Place, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'place_id' })
  place?: Relation<Place>;

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
