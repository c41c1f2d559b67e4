import { ApiProperty } from '@nestjs/swagger';
import type { Measure, MeasureStatus, ScheduleKind } from './entities/measure.entity';
import { MEASURE_STATUSES, SCHEDULE_KINDS } from './entities/measure.entity';
import { MEASURE_TYPES } from './measure-types';
import type { OfficeReportingSchedule } from './entities/office-reporting-schedule.entity';

/** A reporting schedule: its kind, and everyDays (every_days) or weekdays (weekdays), null otherwise. */
export class ScheduleView {
  @ApiProperty({ enum: SCHEDULE_KINDS, example: 'weekly' })
  kind!: ScheduleKind;

  @ApiProperty({ type: Number, nullable: true, example: null })
  everyDays!: number | null;

  @ApiProperty({ type: [Number], nullable: true, description: 'ISO weekdays, 1 (Monday) to 7 (Sunday)', example: [1] })
  weekdays!: number[] | null;
}

/** The UIKS office a person also reports to, with its schedule. */
export class UiksReportingView {
  @ApiProperty({ example: 'UIKS-NIS' })
  office!: string;

  @ApiProperty({ type: () => ScheduleView })
  schedule!: ScheduleView;
}

/** A counselling measure's institution and its schedule. */
export class CounsellingScheduleView {
  @ApiProperty({ example: 'CSR-NIS' })
  institution!: string;

  @ApiProperty({ type: () => ScheduleView })
  schedule!: ScheduleView;
}

export class MeasureView {
  @ApiProperty({ format: 'uuid', example: '0b9b7f0e-3c1d-4b8a-9f3e-6a1c2d3e4f50' })
  id!: string;

  @ApiProperty({ enum: MEASURE_TYPES.map((m) => m.type), example: 'periodic_reporting' })
  type!: string;

  @ApiProperty({ format: 'date', example: '2026-02-01' })
  startsOn!: string;

  @ApiProperty({ format: 'date', example: '2036-02-01' })
  endsOn!: string;

  /** The police administration the person reports to (periodic reporting). */
  @ApiProperty({ type: String, nullable: true, example: 'PU-NIS' })
  reportTo!: string | null;

  /** The police schedule's period length, when it is every N days. */
  @ApiProperty({ type: Number, nullable: true, example: null })
  everyDays!: number | null;

  /** The police administration's schedule (periodic reporting), null otherwise. */
  @ApiProperty({ type: () => ScheduleView, nullable: true })
  schedule!: ScheduleView | null;

  /** The UIKS office the person also reports to, with its schedule; null when none. */
  @ApiProperty({ type: () => UiksReportingView, nullable: true })
  uiks!: UiksReportingView | null;

  /** A counselling measure's institution and schedule (null for other measures and those recorded without). */
  @ApiProperty({ type: () => CounsellingScheduleView, nullable: true })
  counselling!: CounsellingScheduleView | null;

  @ApiProperty({ enum: MEASURE_STATUSES, example: 'active' })
  status!: MeasureStatus;

  @ApiProperty({ type: String, format: 'date', nullable: true, example: null })
  statusChangedOn!: string | null;

  @ApiProperty({ example: 1 })
  version!: number;
}

/** A measure as the person's view and list show it: with whether its duties were acknowledged. */
export class ShownMeasureView extends MeasureView {
  /** An acknowledgement that stands (not voided) names the measure. */
  @ApiProperty({ example: true })
  acknowledged!: boolean;
}

/** One authority's compliance with a reporting measure (in the person view). */
export class AuthorityComplianceView {
  @ApiProperty({ enum: ['police', 'uiks', 'counselling'], example: 'police' })
  authority!: 'police' | 'uiks' | 'counselling';

  /** The UIKS office (null for the police). */
  @ApiProperty({ type: String, nullable: true, example: null })
  office!: string | null;

  @ApiProperty({ enum: ['compliant', 'due', 'overdue', 'suspended', 'ended'], example: 'compliant' })
  status!: 'compliant' | 'due' | 'overdue' | 'suspended' | 'ended';

  @ApiProperty({ type: Date, nullable: true, example: '2026-03-02T23:00:00.000Z' })
  nextDueAt!: Date | null;

  @ApiProperty({ type: Date, nullable: true, example: '2026-02-23T09:15:00.000Z' })
  lastCheckInAt!: Date | null;
}

/** A measure as the person view shows it: with each reporting authority's compliance (empty for other measures). */
export class PersonMeasureView extends ShownMeasureView {
  @ApiProperty({ type: () => [AuthorityComplianceView] })
  compliance!: AuthorityComplianceView[];
}

export type ScheduleColumns = Pick<Measure, 'everyDays' | 'weekdays'> & { scheduleKind: ScheduleKind | null };

function scheduleView(row: ScheduleColumns): ScheduleView | null {
  if (!row.scheduleKind) return null;
  return { kind: row.scheduleKind, everyDays: row.everyDays, weekdays: row.weekdays };
}

/** `uiks`: the measure's UIKS schedule, if it has one. */
export function toMeasureView(m: Measure, uiks: OfficeReportingSchedule | null = null): MeasureView {
  // A counselling measure's schedule is shown under `counselling`; `schedule` and `everyDays` are the police's.
  const counselling = m.counsellingInstitution
    ? { institution: m.counsellingInstitution, schedule: scheduleView(m) as ScheduleView }
    : null;
  return {
    id: m.id,
    type: m.type,
    startsOn: m.startsOn,
    endsOn: m.endsOn,
    reportTo: m.reportTo,
    everyDays: counselling ? null : m.everyDays,
    schedule: counselling ? null : scheduleView(m),
    uiks: uiks ? { office: uiks.office, schedule: scheduleView(uiks) as ScheduleView } : null,
    counselling,
    status: m.status,
    statusChangedOn: m.statusChangedOn,
    version: m.version,
  };
}
