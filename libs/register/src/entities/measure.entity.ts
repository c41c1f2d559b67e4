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
import { PoliceAdministration } from '@app/identity';
import { Person } from './person.entity';

export const MEASURE_TYPE_CODES = [
  'periodic_reporting',
  'ban_places_with_minors',
  'counselling',
  'notify_changes',
  'notify_travel_abroad',
] as const;
export type MeasureType = (typeof MEASURE_TYPE_CODES)[number];
export const MEASURE_STATUSES = ['active', 'suspended', 'ended'] as const;
export type MeasureStatus = (typeof MEASURE_STATUSES)[number];

/** One of the five special measures imposed on a person, with its state. */
@Entity({ name: 'measures' })
@Check(
  'measures_type_check',
  `"type" IN ('periodic_reporting', 'ban_places_with_minors', 'counselling', 'notify_changes', 'notify_travel_abroad')`,
)
@Check('measures_status_check', `"status" IN ('active', 'suspended', 'ended')`)
@Check('measures_dates_check', `"ends_on" > "starts_on"`)
@Check('measures_report_to_check', `("type" = 'periodic_reporting') = ("report_to" IS NOT NULL)`)
@Check('measures_every_days_check', `"every_days" IS NULL OR "every_days" BETWEEN 1 AND 366`)
@Index(['personId'])
@Index(['reportTo', 'status'])
export class Measure {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  personId: string;

  @ManyToOne(() => Person, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: Relation<Person>;

  @Column({ type: 'text' })
  type: MeasureType;

  @Column({ type: 'date' })
  startsOn: string;

  @Column({ type: 'date' })
  endsOn: string;

  /** The police administration the person reports to (periodic reporting only). */
  @Column({ type: 'text', nullable: true })
  reportTo: string | null;

  @ManyToOne(() => PoliceAdministration, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'report_to', referencedColumnName: 'code' })
  reportToAdministration?: Relation<PoliceAdministration>;

  @Column({ type: 'integer', nullable: true })
  everyDays: number | null;

  @Column({ type: 'text', default: 'active' })
  status: MeasureStatus;

  /** When the status last changed (suspension, resumption, end). */
  @Column({ type: 'date', nullable: true })
  statusChangedOn: string | null;

  @VersionColumn({ default: 1 })
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
