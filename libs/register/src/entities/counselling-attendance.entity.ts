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

/** Attendance at counselling under a `counselling` measure; voided, never deleted, when recorded by mistake. */
@Entity({ name: 'counselling_attendances' })
@Check(
  'counselling_attendances_void_check',
  `("voided_at" IS NULL) = ("voided_by" IS NULL) AND ("voided_at" IS NULL) = ("void_reason" IS NULL)`,
)
@Index(['personId', 'attendedOn'])
export class CounsellingAttendance {
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

  @Column({ type: 'date' })
  attendedOn: string;

  @Column({ type: 'text' })
  institution: string;

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
