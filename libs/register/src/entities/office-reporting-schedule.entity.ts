import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToOne,
  PrimaryGeneratedColumn,
  type Relation,
  VersionColumn,
} from 'typeorm';
import { UiksOffice } from '@app/identity';
import { Measure, type ScheduleKind } from './measure.entity';
import { Person } from './person.entity';

/**
 * The second authority of a periodic reporting measure: the UIKS office the
 * person also reports to, with its own schedule (the police administration's
 * is the measure's own). Person-owned.
 */
@Entity({ name: 'office_reporting_schedules' })
@Check('office_reporting_schedules_kind_check', `"schedule_kind" IN ('every_days', 'monthly', 'weekly', 'weekdays')`)
@Check(
  'office_reporting_schedules_every_days_check',
  `("every_days" IS NOT NULL) = ("schedule_kind" = 'every_days') AND ("every_days" IS NULL OR "every_days" BETWEEN 1 AND 366)`,
)
@Check(
  'office_reporting_schedules_weekdays_check',
  `("weekdays" IS NOT NULL) = ("schedule_kind" = 'weekdays') AND ("weekdays" IS NULL OR reporting_weekdays_valid("weekdays"))`,
)
@Index(['personId'])
export class OfficeReportingSchedule {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  personId: string;

  @ManyToOne(() => Person, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: Relation<Person>;

  @Column({ type: 'uuid', unique: true })
  measureId: string;

  @OneToOne(() => Measure, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'measure_id' })
  measure?: Relation<Measure>;

  /** The UIKS office (uiks_offices.code). */
  @Column({ type: 'text' })
  office: string;

  @ManyToOne(() => UiksOffice, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'office', referencedColumnName: 'code' })
  uiksOffice?: Relation<UiksOffice>;

  @Column({ type: 'text' })
  scheduleKind: ScheduleKind;

  @Column({ type: 'integer', nullable: true })
  everyDays: number | null;

  @Column({ type: 'smallint', array: true, nullable: true })
  weekdays: number[] | null;

  @VersionColumn({ default: 1 })
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
