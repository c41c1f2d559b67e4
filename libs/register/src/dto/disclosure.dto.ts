import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsDefined,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  ValidateNested,
} from 'class-validator';
import { IsCountryCode, IsFreeText, IsIsoDate, PageQuery } from '@app/common';
import {
  DISCLOSURE_CHANNELS,
  DISCLOSURE_FIELDS,
  type DisclosureChannel,
  type DisclosureField,
} from '../entities/disclosure.entity';

/** The authority abroad that receives the package. */
export class DisclosureRecipientDto {
  @ApiProperty({ example: 'ORFK Nemzeti Központi Iroda' })
  @IsString()
  @IsFreeText()
  @Length(1, 200)
  authority: string;

  @IsCountryCode()
  country: string;
}

export class CreateDisclosureDto {
  @ApiProperty({ type: DisclosureRecipientDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => DisclosureRecipientDto)
  recipient: DisclosureRecipientDto;

  @ApiProperty({ enum: DISCLOSURE_CHANNELS })
  @IsIn(DISCLOSURE_CHANNELS, { message: `channel must be one of: ${DISCLOSURE_CHANNELS.join(', ')}` })
  channel: DisclosureChannel;

  @ApiProperty({ example: 'Zakon o međunarodnoj pravnoj pomoći u krivičnim stvarima, čl. 83' })
  @IsString()
  @IsFreeText()
  @Length(1, 500)
  legalBasis: string;

  @ApiProperty({ example: 'INTERPOL-2026-0412' })
  @IsString()
  @IsFreeText()
  @Length(1, 200)
  caseReference: string;

  @ApiProperty({
    enum: DISCLOSURE_FIELDS,
    isArray: true,
    description: 'The parts of the person to send: at least one, each once',
  })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(DISCLOSURE_FIELDS.length)
  @ArrayUnique({ message: 'fields must not name a part twice' })
  @IsIn(DISCLOSURE_FIELDS, { each: true, message: `fields must each be one of: ${DISCLOSURE_FIELDS.join(', ')}` })
  fields: DisclosureField[];

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The person’s travel-abroad notice this outbound notice is prepared from',
  })
  @IsOptional()
  @IsUUID('all', { message: 'travelNoticeId must be a UUID' })
  travelNoticeId?: string;
}

export class DisclosureQuery extends PageQuery {
  @ApiPropertyOptional({ example: '2026-01-01', description: 'Disclosures made on or after this day (Belgrade)' })
  @IsOptional()
  @IsIsoDate()
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: 'Disclosures made on or before this day (Belgrade)' })
  @IsOptional()
  @IsIsoDate()
  to?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'personId must be a UUID' })
  personId?: string;

  @ApiPropertyOptional({ example: 'HU', description: 'The recipient’s country' })
  @IsOptional()
  @IsCountryCode()
  country?: string;
}

export class PackageQuery {
  @ApiPropertyOptional({ enum: ['json', 'pdf'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'pdf'], { message: 'format must be json or pdf' })
  format?: 'json' | 'pdf';
}
