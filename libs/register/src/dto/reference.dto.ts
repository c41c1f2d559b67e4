import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import {
  IsFreeText,
  IsUiksOfficeCode,
  PageQuery,
  POLICE_ADMINISTRATION_CODE,
  UIKS_OFFICE_CODE,
  UpdateType,
} from '@app/common';
import { REFERENCE_KINDS, type ReferenceKind } from '../entities/reference-history.entity';

export const ARTICLE = /^\d{3}[a-z]?$/;
/** A counselling institution's code: a kind (CSR, DZ, ...) and a place, e.g. CSR-NIS. */
export const COUNSELLING_INSTITUTION_CODE = /^[A-Z]{2,5}(-[A-Z]+)+$/;
const PLACE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A UIKS office's or counselling institution's code, an article or a place's id: what `reference_history.key` holds. */
const REFERENCE_KEY = new RegExp(
  `${UIKS_OFFICE_CODE.source}|${ARTICLE.source}|${COUNSELLING_INSTITUTION_CODE.source}|${PLACE_ID.source}`,
);

export class CreateUiksOfficeDto {
  @ApiProperty({ example: 'UIKS-NIS' })
  @IsUiksOfficeCode()
  code: string;

  @ApiProperty({ example: 'Poverenička kancelarija Niš' })
  @IsString()
  @IsFreeText()
  @Length(1, 200)
  name: string;

  @ApiProperty({
    example: ['PU-NIS', 'PU-PIROT'],
    description: 'The police administrations it serves (GET /reference/police-administrations)',
    type: [String],
  })
  @IsArray()
  @ArrayMaxSize(27)
  @ArrayUnique()
  @Matches(POLICE_ADMINISTRATION_CODE, {
    each: true,
    message: 'each of policeAdministrations must be a police administration code such as PU-NIS',
  })
  policeAdministrations: string[];

  @ApiPropertyOptional({ default: true, description: 'An inactive office serves no one and takes no new clerks' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

/** A change of an office: its name, the administrations it serves, whether it is active (not its code). */
export class UpdateUiksOfficeDto extends UpdateType(OmitType(CreateUiksOfficeDto, ['code'] as const)) {}

export class CreateOffenceDto {
  @ApiProperty({ example: '182a', pattern: ARTICLE.source })
  @Matches(ARTICLE, { message: 'article must be an article such as 180 or 185a' })
  article: string;

  @ApiProperty({ example: 'Polno uznemiravanje (sexual harassment)' })
  @IsString()
  @IsFreeText()
  @Length(1, 300)
  title: string;

  @ApiProperty({ example: [2], type: [Number], description: 'The paragraphs covered; empty: the whole article' })
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(20, { each: true })
  paragraphs: number[];

  @ApiProperty({ description: 'Covered only when the victim is a juvenile (the article itself is about anyone)' })
  @IsBoolean()
  juvenileOnly: boolean;
}

/** A change of an offence: its title, paragraphs, juvenileOnly (not its article). */
export class UpdateOffenceDto extends UpdateType(OmitType(CreateOffenceDto, ['article'] as const)) {}

export class CreateCounsellingInstitutionDto {
  @ApiProperty({ example: 'CSR-NIS', pattern: COUNSELLING_INSTITUTION_CODE.source })
  @Matches(COUNSELLING_INSTITUTION_CODE, { message: 'code must be an institution code such as CSR-NIS' })
  code: string;

  @ApiProperty({ example: 'Centar za socijalni rad Sveti Sava Niš' })
  @IsString()
  @IsFreeText()
  @Length(1, 200)
  name: string;

  @ApiProperty({ example: 'Niš' })
  @IsString()
  @IsFreeText()
  @Length(1, 100)
  city: string;

  @ApiPropertyOptional({ default: true, description: 'An inactive institution takes no new counselling measures' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

/** A change of a counselling institution: its name, city, whether it is active (not its code). */
export class UpdateCounsellingInstitutionDto extends UpdateType(
  OmitType(CreateCounsellingInstitutionDto, ['code'] as const),
) {}

export class ReferenceHistoryQuery extends PageQuery {
  @ApiProperty({ enum: REFERENCE_KINDS })
  @IsIn(REFERENCE_KINDS)
  kind: ReferenceKind;

  @ApiPropertyOptional({
    example: 'UIKS-NIS',
    description: 'The office or institution code, the article or the place id; none: every one',
    pattern: REFERENCE_KEY.source,
  })
  @IsOptional()
  @IsString()
  @Length(1, 60)
  @Matches(REFERENCE_KEY, {
    message: 'key must be a UIKS office or institution code, an article or a place id, such as UIKS-NIS or 185a',
  })
  key?: string;
}
