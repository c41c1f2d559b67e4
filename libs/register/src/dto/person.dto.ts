import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { COMPLIANCE_STATUSES } from '@app/compliance';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { IsCountryCode, IsFreeText, IsIsoDate, IsPoliceAdministrationCode, PageQuery, UpdateType } from '@app/common';
import { ID_DOCUMENT_TYPES, type IdDocumentType } from '../entities/person.entity';

export class IdentityDocumentDto {
  @ApiProperty({ enum: ID_DOCUMENT_TYPES })
  @IsIn(ID_DOCUMENT_TYPES)
  type: IdDocumentType;

  @ApiProperty({ example: 'P1234567' })
  @IsString()
  @IsFreeText()
  @Length(1, 50)
  number: string;

  @ApiProperty({ example: 'BA', description: 'ISO 3166-1 alpha-2' })
  @IsCountryCode()
  issuingCountry: string;
}

export class CreatePersonDto {
  @ApiProperty({ example: 'Petrović' })
  @IsString()
  @IsFreeText()
  @Length(1, 100)
  surname: string;

  @ApiProperty({ example: 'Petar' })
  @IsString()
  @IsFreeText()
  @Length(1, 100)
  givenNames: string;

  @ApiPropertyOptional({ example: 'Marko i Jelena' })
  @IsOptional()
  @IsString()
  @IsFreeText()
  @Length(1, 200)
  parentNames?: string;

  @ApiPropertyOptional({ example: '0101990360007', description: 'Required when citizenship is RS' })
  @IsOptional()
  @IsString()
  jmbg?: string;

  @ApiPropertyOptional({ type: IdentityDocumentDto, description: 'Required without a JMBG' })
  @IsOptional()
  @ValidateNested()
  @Type(() => IdentityDocumentDto)
  identityDocument?: IdentityDocumentDto;

  @ApiProperty({ example: '1990-01-01' })
  @IsIsoDate()
  dateOfBirth: string;

  @ApiProperty({ example: 'Beograd' })
  @IsString()
  @IsFreeText()
  @Length(1, 100)
  placeOfBirth: string;

  @ApiProperty({ enum: ['M', 'F'] })
  @IsIn(['M', 'F'])
  sex: 'M' | 'F';

  @ApiProperty({ example: 'RS', description: 'ISO 3166-1 alpha-2' })
  @IsCountryCode()
  citizenship: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @IsFreeText({ each: true })
  @Length(1, 100, { each: true })
  aliases?: string[];

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  managingOfficerId?: string;
}

/** A correction of personal data: any field; the parent names, JMBG, identity document and officer may also be cleared with null. */
export class UpdatePersonDto extends UpdateType(CreatePersonDto, [
  'parentNames',
  'jmbg',
  'identityDocument',
  'managingOfficerId',
]) {}

export class PersonQuery extends PageQuery {
  @ApiPropertyOptional({ description: '3-100 characters; any script, with or without diacritics' })
  @IsOptional()
  @IsString()
  @IsFreeText()
  @Length(3, 100)
  q?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^\d{13}$/, { message: 'jmbg must be 13 digits' })
  jmbg?: string;

  @ApiPropertyOptional({ example: 'PU-NIS' })
  @IsOptional()
  @IsPoliceAdministrationCode()
  region?: string;

  @ApiPropertyOptional({ enum: COMPLIANCE_STATUSES })
  @IsOptional()
  @IsIn(COMPLIANCE_STATUSES)
  status?: string;
}

export class LookupQuery {
  @ApiProperty({ example: '0101990360007' })
  @Matches(/^\d{13}$/, { message: 'jmbg must be 13 digits' })
  jmbg: string;
}
