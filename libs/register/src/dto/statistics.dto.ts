import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsIsoDate } from '@app/common';

export const STATISTICS_GROUPINGS = ['region', 'offence', 'measure', 'month'] as const;
export type StatisticsGrouping = (typeof STATISTICS_GROUPINGS)[number];

export class StatisticsQueryDto {
  @ApiPropertyOptional({
    example: '2026-12-03',
    description: 'The day (Belgrade): stocks at its end, flows up to it; default today, never in the future',
  })
  @IsOptional()
  @IsIsoDate()
  asOf?: string;

  @ApiPropertyOptional({
    example: '2026-01-01',
    description: 'First day of the flows (Belgrade); default 1 January of asOf’s year; not after asOf',
  })
  @IsOptional()
  @IsIsoDate()
  from?: string;

  @ApiPropertyOptional({ enum: STATISTICS_GROUPINGS, description: 'Groups beside the total (none: the total only)' })
  @IsOptional()
  @IsIn(STATISTICS_GROUPINGS, { message: 'groupBy must be region, offence, measure or month' })
  groupBy?: StatisticsGrouping;
}

export const REPORT_FORMATS = ['json', 'csv', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export class StatisticsReportQueryDto {
  @ApiPropertyOptional({ example: 2026, description: 'The year (2000 up to this year); default this year' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'year must be a whole number' })
  @Min(2000)
  @Max(9999)
  year?: number;

  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(REPORT_FORMATS, { message: 'format must be json, csv or pdf' })
  format?: ReportFormat;
}
