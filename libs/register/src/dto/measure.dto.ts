import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsIsoDate, IsPoliceAdministrationCode } from '@app/common';
import { MEASURE_TYPE_CODES, type MeasureType, SCHEDULE_KINDS, type ScheduleKind } from '../entities/measure.entity';

/** A reporting schedule: how the measure's days are cut into periods, each needing one check-in. */
export class ScheduleDto {
  @ApiProperty({
    enum: SCHEDULE_KINDS,
    description:
      'every_days: periods of everyDays days from startsOn; monthly: calendar months; weekly: ISO weeks ' +
      '(Monday to Sunday); weekdays: each period ends on one of the chosen weekdays. The first period starts ' +
      'on startsOn, the last is cut at endsOn.',
  })
  @IsIn(SCHEDULE_KINDS)
  kind: ScheduleKind;

  @ApiPropertyOptional({ example: 30, minimum: 1, maximum: 366, description: 'Required for every_days, only for it' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(366)
  everyDays?: number;

  @ApiPropertyOptional({
    type: [Number],
    example: [1, 4],
    description: 'Required for weekdays, only for it: distinct ISO weekdays, 1 (Monday) to 7 (Sunday)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(7, { each: true })
  weekdays?: number[];
}

/** The UIKS office the person also reports to, with its own schedule. */
export class UiksReportingDto {
  @ApiProperty({ example: 'UIKS-NIS', description: 'An active UIKS office code' })
  @IsString()
  @Matches(/^UIKS-[A-Z]+(-[A-Z]+)*$/, { message: 'office must be a UIKS office code' })
  office: string;

  @ApiProperty({ type: ScheduleDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => ScheduleDto)
  schedule: ScheduleDto;
}

/** A counselling measure's institution and schedule: one attendance in every period. */
export class CounsellingDto {
  @ApiProperty({
    example: 'CSR-NIS',
    description: 'An active counselling institution (GET /reference/counselling-institutions)',
  })
  @IsString()
  @Matches(/^[A-Z]{2,5}(-[A-Z]+)+$/, { message: 'institution must be a counselling institution code such as CSR-NIS' })
  institution: string;

  @ApiProperty({ type: ScheduleDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => ScheduleDto)
  schedule: ScheduleDto;
}

export class CreateMeasureDto {
  @ApiProperty({ enum: MEASURE_TYPE_CODES })
  @IsIn(MEASURE_TYPE_CODES)
  type: MeasureType;

  @ApiProperty({ example: '2026-01-01' })
  @IsIsoDate()
  startsOn: string;

  @ApiProperty({ example: '2036-01-01' })
  @IsIsoDate()
  endsOn: string;

  @ApiPropertyOptional({ example: 'PU-NIS', description: 'Required for periodic_reporting' })
  @IsOptional()
  @IsPoliceAdministrationCode()
  reportTo?: string;

  @ApiPropertyOptional({
    example: 30,
    minimum: 1,
    maximum: 366,
    description: 'Shorthand for schedule {kind: every_days, everyDays}; not with schedule',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(366)
  everyDays?: number;

  @ApiPropertyOptional({
    type: ScheduleDto,
    description:
      "The police administration's schedule (periodic_reporting only). Default: REPORTING_DEFAULT_SCHEDULE " +
      '(every REPORTING_EVERY_DAYS days, or monthly)',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => ScheduleDto)
  schedule?: ScheduleDto;

  @ApiPropertyOptional({
    type: UiksReportingDto,
    description: 'A UIKS office the person also reports to, with its own schedule (periodic_reporting only)',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => UiksReportingDto)
  uiks?: UiksReportingDto;

  @ApiPropertyOptional({
    type: CounsellingDto,
    description: 'Required for counselling, only for it: the institution and the schedule of attendance',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => CounsellingDto)
  counselling?: CounsellingDto;
}

export const MEASURE_ACTIONS = ['suspend', 'resume', 'end'] as const;
export type MeasureAction = (typeof MEASURE_ACTIONS)[number];

export class MeasureActionDto {
  @ApiProperty({ enum: MEASURE_ACTIONS })
  @IsIn(MEASURE_ACTIONS)
  action: MeasureAction;

  @ApiProperty({ example: '2026-12-01' })
  @IsIsoDate()
  effectiveOn: string;
}
