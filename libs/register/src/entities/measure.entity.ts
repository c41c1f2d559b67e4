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
import { CounsellingInstitution } from './counselling-institution.entity';
import { Person } from './person.entity';

export const MEASURE_TYPE_CODES = [
  'periodic_reporting',
  'ban_places_with_minors',
  'counselling',
  'notify_changes',
  'notify_travel_abroad',
] as const;
export type MeasureType = (typeof MEASURE_TYPE_CODES)[number];
/** How a reporting schedule cuts the measure's days into periods (README "Reporting schedules"). */
export const SCHEDULE_KINDS = ['every_days', 'monthly', 'weekly', 'weekdays'] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];
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
@Check(
  'measures_schedule_kind_check',
  `CASE "type" WHEN 'periodic_reporting' THEN "schedule_kind" IS NOT NULL WHEN 'counselling' THEN ("schedule_kind" IS NULL) = ("counselling_institution" IS NULL) ELSE "schedule_kind" IS NULL END AND "schedule_kind" IN ('every_days', 'monthly', 'weekly', 'weekdays')`,
)
@Check(
  'measures_schedule_every_days_check',
  `("every_days" IS NOT NULL) = coalesce("schedule_kind" = 'every_days', false)`,
)
@Check(
  'measures_weekdays_check',
  `("weekdays" IS NOT NULL) = coalesce("schedule_kind" = 'weekdays', false) AND ("weekdays" IS NULL OR reporting_weekdays_valid("weekdays"))`,
)
@Check('measures_counselling_institution_check', `"counselling_institution" IS NULL OR "type" = 'counselling'`)
@Index(['personId'])
@Index(['reportTo', 'status'])
// The persons under an active ban on places with minors (migration Places).
@Index('measures_places_ban_idx', { synchronize: false })
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

  /** The institution a counselling measure's person attends (counselling measures recorded with a schedule). */
  @Column({ type: 'text', nullable: true })
  counsellingInstitution: string | null;

  @ManyToOne(() => CounsellingInstitution, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'counselling_institution', referencedColumnName: 'code' })
  institution?: Relation<CounsellingInstitution>;

  /** The schedule: the police administration's (periodic reporting), or the counselling's. */
  @Column({ type: 'text', nullable: true })
  scheduleKind: ScheduleKind | null;

  /** Length of a period in days (schedule kind every_days only). */
  @Column({ type: 'integer', nullable: true })
  everyDays: number | null;

  /** The ISO weekdays (1 = Monday) periods end on, sorted and distinct (schedule kind weekdays only). */
  @Column({ type: 'smallint', array: true, nullable: true })
  weekdays: number[] | null;

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
