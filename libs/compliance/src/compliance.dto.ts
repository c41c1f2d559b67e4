import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { IsFreeText, IsIsoDate, IsPoliceAdministrationCode, PageQuery } from '@app/common';
import { ALERT_KINDS, ALERT_STATUSES, type AlertKind, type AlertStatus } from './entities';

export class OverdueQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'PU-NIS' })
  @IsOptional()
  @IsPoliceAdministrationCode()
  region?: string;
}

export class DueQuery extends OverdueQuery {
  @ApiPropertyOptional({ example: '2026-11-28', description: 'Default: today (Belgrade)' })
  @IsOptional()
  @IsIsoDate()
  from?: string;

  @ApiPropertyOptional({
    example: '2026-12-05',
    description: 'Default: a week after `from`; at most 366 days after it',
  })
  @IsOptional()
  @IsIsoDate()
  to?: string;
}

export class ReleaseQuery extends PageQuery {
  @ApiPropertyOptional({ example: '2026-12-03', description: 'Default: today (Belgrade)' })
  @IsOptional()
  @IsIsoDate()
  from?: string;

  @ApiPropertyOptional({
    example: '2027-01-02',
    description: 'Default: 30 days after `from`; at most 366 days after it',
  })
  @IsOptional()
  @IsIsoDate()
  to?: string;
}

export class AddressChecksDueQuery extends PageQuery {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: 3650,
    default: 90,
    description: 'Addresses not confirmed by a check for at least this many days (never checked: since validFrom)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'olderThanDays must be a whole number' })
  @Min(1)
  @Max(3650)
  olderThanDays?: number;
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

  @ApiPropertyOptional({ format: 'uuid', description: 'One person’s alerts (e.g. those to refer to the prosecutor)' })
  @IsOptional()
  @IsUUID('all', { message: 'personId must be a UUID' })
  personId?: string;
}

export class ResolveAlertDto {
  @ApiProperty({ example: 'Person reported in on 2 December; warned in writing.' })
  @IsString()
  @IsFreeText({ multiline: true })
  @Length(1, 1000)
  resolution: string;
}

export class InboxQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'unread must be true or false' })
  unread?: 'true' | 'false';
}

export class ProximityQuery extends PageQuery {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: 1000,
    default: 300,
    description: 'The distance, in metres; at most PROXIMITY_MAX_METRES (default 1000; 400 naming `metres` above it)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  metres?: number;
}
