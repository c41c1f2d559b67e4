import { ApiProperty, OmitType } from '@nestjs/swagger';
import { IsIn, IsObject, IsString, IsUUID, Length, Matches } from 'class-validator';
import { IsFreeText, IsIsoDate, IsIsoTimestamp, UpdateType } from '@app/common';
import { NOTIFICATION_KINDS, type NotificationKind } from '../entities/notification.entity';
import { CHECK_IN_METHODS } from '../entities/check-in.entity';

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
  @Matches(/^[A-Z]{2}$/, { message: 'destinationCountry must be an ISO 3166-1 alpha-2 code' })
  destinationCountry: string;

  @IsIsoDate()
  departOn: string;

  @IsIsoDate()
  returnOn: string;
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
}

export class CreateCounsellingDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'measureId must be a UUID' })
  measureId: string;

  @ApiProperty({ example: '2026-11-27' })
  @IsIsoDate()
  attendedOn: string;

  @ApiProperty({ example: 'Centar za socijalni rad Niš' })
  @IsString()
  @IsFreeText()
  @Length(1, 200)
  institution: string;
}

/** A correction of a breach: its time or description; the measure stays. */
export class UpdateBreachDto extends UpdateType(OmitType(CreateBreachDto, ['measureId'] as const)) {}

/** A correction of a counselling attendance: its day or institution; the measure stays. */
export class UpdateCounsellingDto extends UpdateType(OmitType(CreateCounsellingDto, ['measureId'] as const)) {}
