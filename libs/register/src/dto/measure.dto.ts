import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsIsoDate, IsPoliceAdministrationCode } from '@app/common';
import { MEASURE_TYPE_CODES, type MeasureType } from '../entities/measure.entity';

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

  @ApiPropertyOptional({ example: 30, minimum: 1, maximum: 366 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(366)
  everyDays?: number;
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
