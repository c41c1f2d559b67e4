import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { PageQuery } from '@app/common';
import { ALERT_KINDS, ALERT_STATUSES, type AlertKind, type AlertStatus } from './entities';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ADMINISTRATION = /^PU-[A-Z]+(-[A-Z]+)*$/;
const REGION_MESSAGE = 'region must be a police administration code such as PU-NIS';

export class OverdueQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'PU-NIS' })
  @IsOptional()
  @Matches(ADMINISTRATION, { message: REGION_MESSAGE })
  region?: string;
}

export class DueQuery extends OverdueQuery {
  @ApiPropertyOptional({ example: '2026-11-28', description: 'Default: today (Belgrade)' })
  @IsOptional()
  @Matches(DATE, { message: 'from must be a date (YYYY-MM-DD)' })
  from?: string;

  @ApiPropertyOptional({
    example: '2026-12-05',
    description: 'Default: a week after `from`; at most 366 days after it',
  })
  @IsOptional()
  @Matches(DATE, { message: 'to must be a date (YYYY-MM-DD)' })
  to?: string;
}

export class AlertQuery extends OverdueQuery {
  @ApiPropertyOptional({ enum: ALERT_STATUSES })
  @IsOptional()
  @IsIn(ALERT_STATUSES)
  status?: AlertStatus;

  @ApiPropertyOptional({ enum: ALERT_KINDS })
  @IsOptional()
  @IsIn(ALERT_KINDS)
  kind?: AlertKind;
}

export class ResolveAlertDto {
  @ApiProperty({ example: 'Person reported in on 2 December; warned in writing.' })
  @IsString()
  @Length(1, 1000)
  resolution: string;
}

export class InboxQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'unread must be true or false' })
  unread?: 'true' | 'false';
}
