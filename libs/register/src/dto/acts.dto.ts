import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { IsCountryCode, IsFreeText, IsIsoDate, IsIsoTimestamp, UpdateType } from '@app/common';
import { NOTIFICATION_KINDS, type NotificationKind } from '../entities/notification.entity';
import { BREACH_KINDS, type BreachKind } from '../entities/breach.entity';
import { CHECK_IN_METHODS, REPORTING_AUTHORITIES, type ReportingAuthority } from '../entities/check-in.entity';

export class CreateCheckInDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'measureId must be a UUID' })
  measureId: string;

  @ApiProperty({ example: '2026-11-28T10:00:00+01:00' })
  @IsIsoTimestamp()
  occurredAt: string;

  @ApiProperty({ example: 'PU Niš, Vožda Karađorđa 2' })
  @IsString()
  @IsFreeText()
  @Length(1, 200)
  place: string;

  @ApiProperty({ enum: CHECK_IN_METHODS })
  @IsIn(CHECK_IN_METHODS)
  method: (typeof CHECK_IN_METHODS)[number];

  @ApiPropertyOptional({
    enum: REPORTING_AUTHORITIES,
    description:
      "Where the person reported; the check-in satisfies only that authority's schedule. Police officers record " +
      'police check-ins only; a clerk of a UIKS office records uiks ones at that office by default; a clerk ' +
      'without an office records police ones by default, or uiks ones naming the office',
  })
  @IsOptional()
  @IsIn(REPORTING_AUTHORITIES)
  authority?: ReportingAuthority;

  @ApiPropertyOptional({
    example: 'UIKS-NIS',
    description:
      "The UIKS office reported at (uiks only; a clerk of an office may name only their own; the measure's UIKS office)",
  })
  @IsOptional()
  @IsString()
  @Matches(/^UIKS-[A-Z]+(-[A-Z]+)*$/, { message: 'office must be a UIKS office code' })
  office?: string;
}

export class CreateNotificationDto {
  @ApiProperty({ enum: NOTIFICATION_KINDS })
  @IsIn(NOTIFICATION_KINDS)
  kind: NotificationKind;

  @ApiProperty({ example: '2026-11-28T10:00:00Z' })
  @IsIsoTimestamp()
  notifiedAt: string;

  @ApiProperty({ example: '2026-12-01' })
  @IsIsoDate()
  effectiveOn: string;

  @ApiProperty({
    description:
      'residence_change: {address: <address body>}; workplace_change: {workplace: <workplace body>}; ' +
      'travel_abroad: {destinationCountry, departOn, returnOn}',
    type: 'object',
    additionalProperties: true,
  })
  @IsObject()
  details: Record<string, unknown>;
}

export class TravelDetailsDto {
  @IsCountryCode()
  destinationCountry: string;

  @IsIsoDate()
  departOn: string;

  @IsIsoDate()
  returnOn: string;
}

export class RecordReturnDto {
  @ApiProperty({
    example: '2026-12-01',
    description: 'The day the person came back (not before departOn, not in the future)',
  })
  @IsIsoDate()
  returnedOn: string;
}

export class CreateBreachDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'measureId must be a UUID' })
  measureId: string;

  @ApiProperty({ example: '2026-11-27T16:30:00+01:00' })
  @IsIsoTimestamp()
  occurredAt: string;

  @ApiProperty({ example: 'Seen at a primary school playground' })
  @IsString()
  @IsFreeText({ multiline: true })
  @Length(1, 2000)
  description: string;

  @ApiPropertyOptional({
    enum: BREACH_KINDS,
    default: 'other',
    description: 'travel_without_notice: travel abroad discovered later; its measure must be notify_travel_abroad',
  })
  @IsOptional()
  @IsIn(BREACH_KINDS)
  kind?: BreachKind;

  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    description: 'Where it happened: a place where minors gather (GET /reference/places)',
  })
  @IsOptional()
  @IsUUID('all', { message: 'placeId must be a UUID' })
  placeId?: string | null;
}

export class CreateCounsellingDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'measureId must be a UUID' })
  measureId: string;

  @ApiProperty({ example: '2026-11-27' })
  @IsIsoDate()
  attendedOn: string;

  @ApiPropertyOptional({
    example: 'Centar za socijalni rad Niš',
    description: "Default: the name of the measure's institution (required when the measure names none)",
  })
  @IsOptional()
  @IsString()
  @IsFreeText()
  @Length(1, 200)
  institution?: string;
}

/** A correction of a breach: its time or description; the measure stays. */
export class UpdateBreachDto extends UpdateType(OmitType(CreateBreachDto, ['measureId', 'kind'] as const)) {}

/** A correction of a counselling attendance: its day or institution; the measure stays. */
export class UpdateCounsellingDto extends UpdateType(OmitType(CreateCounsellingDto, ['measureId'] as const)) {}
