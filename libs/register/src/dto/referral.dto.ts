import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
} from 'class-validator';
import { IsFreeText, IsIsoDate } from '@app/common';
import { REFERRAL_OUTCOMES, type ReferralOutcome } from '../entities/referral.entity';

/** At most this many alerts, and as many breaches, in one referral. */
export const MAX_REFERRED_ITEMS = 50;

export class CreateReferralDto {
  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: 'Alerts of the person, not resolved and not in another referral without an outcome',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_REFERRED_ITEMS)
  @ArrayUnique()
  @IsUUID('all', { each: true, message: 'alertIds must be UUIDs' })
  alertIds?: string[];

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: 'Breaches of the person, not in another referral without an outcome',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_REFERRED_ITEMS)
  @ArrayUnique()
  @IsUUID('all', { each: true, message: 'breachIds must be UUIDs' })
  breachIds?: string[];

  @ApiProperty({ example: 'Osnovno javno tužilaštvo u Nišu', description: 'The public prosecutor’s office' })
  @IsString()
  @IsFreeText()
  @Length(3, 200)
  prosecutorOffice: string;

  @ApiProperty({
    example: '2026-12-02',
    description: 'The day of the referral; not in the future, not before any referred item',
  })
  @IsIsoDate()
  referredOn: string;
}

export class RecordReferralOutcomeDto {
  @ApiProperty({ enum: REFERRAL_OUTCOMES })
  @IsIn(REFERRAL_OUTCOMES)
  outcome: ReferralOutcome;

  @ApiProperty({ example: '2027-02-15', description: 'Not in the future, not before the referral' })
  @IsIsoDate()
  outcomeOn: string;

  @ApiPropertyOptional({
    example: 'KT 1234/26',
    description: 'The case number: required when charged or convicted, refused when dismissed',
  })
  @IsOptional()
  @IsString()
  @IsFreeText()
  @Length(1, 100)
  caseNumber?: string;

  @ApiPropertyOptional({
    description: 'true to change an outcome already recorded (registry clerks only); without it such a change is a 409',
  })
  @IsOptional()
  @IsBoolean()
  correction?: boolean;
}
