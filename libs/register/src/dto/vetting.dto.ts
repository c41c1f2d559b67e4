import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { IsCountryCode, IsFreeText, IsIsoDate, PageQuery } from '@app/common';
import { CreatePersonDto, IdentityDocumentDto } from './person.dto';

export class VettingEmployerDto {
  @ApiProperty({ example: 'Osnovna škola "Vuk Karadžić"' })
  @IsString()
  @IsFreeText()
  @Length(1, 200)
  name: string;

  @ApiProperty({ example: '07001234', description: "The employer's registry number (matični broj): 8 digits" })
  @Matches(/^[0-9]{8}$/, { message: 'registryNumber must be 8 digits' })
  registryNumber: string;
}

/** An identity document as the person's (`type`, `number`), its issuing country as `country`. */
export class VettingDocumentDto extends PickType(IdentityDocumentDto, ['type', 'number'] as const) {
  /** The issuing country. */
  @IsCountryCode()
  country: string;
}

/** The candidate as the employer names them: a JMBG or an identity document, not both. */
export class VettingCandidateDto extends PickType(CreatePersonDto, ['givenNames', 'surname'] as const) {
  @ApiPropertyOptional({ example: '0101990710008', description: 'A valid JMBG (check digit); or `document`' })
  @IsOptional()
  @IsString()
  jmbg?: string;

  @ApiPropertyOptional({ type: VettingDocumentDto, description: 'Without a JMBG' })
  @IsOptional()
  @ValidateNested()
  @Type(() => VettingDocumentDto)
  document?: VettingDocumentDto;
}

export class CreateVettingRequestDto {
  @ApiProperty({ type: VettingEmployerDto })
  @ValidateNested()
  @Type(() => VettingEmployerDto)
  employer: VettingEmployerDto;

  @ApiProperty({ example: 'Nastavnik razredne nastave', description: 'The work the candidate would do' })
  @IsString()
  @IsFreeText()
  @Length(1, 200)
  activity: string;

  @ApiPropertyOptional({ default: false, description: 'The activity is a public office (the ban on it counts too)' })
  @IsOptional()
  @IsBoolean()
  publicOffice?: boolean;

  @ApiProperty({ type: VettingCandidateDto })
  @ValidateNested()
  @Type(() => VettingCandidateDto)
  candidate: VettingCandidateDto;

  @ApiProperty({ example: 'Zakon o osnovama sistema obrazovanja i vaspitanja, čl. 139' })
  @IsString()
  @IsFreeText()
  @Length(1, 300)
  legalBasis: string;

  @ApiProperty({ example: 'OŠ-VK 112/2026', description: "The employer's reference of the request" })
  @IsString()
  @IsFreeText()
  @Length(1, 100)
  requestReference: string;
}

export class VettingVolumeQuery extends PageQuery {
  @ApiPropertyOptional({ example: '2026-12-01', description: 'Default: 30 days before `to`' })
  @IsOptional()
  @IsIsoDate()
  from?: string;

  @ApiPropertyOptional({
    example: '2026-12-03',
    description: 'Default: today (Belgrade); at most 366 days after `from`',
  })
  @IsOptional()
  @IsIsoDate()
  to?: string;
}
