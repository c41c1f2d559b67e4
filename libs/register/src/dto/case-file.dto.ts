import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { IsFreeText } from '@app/common';

export const CASE_FILE_FORMATS = ['json', 'pdf'] as const;
export type CaseFileFormat = (typeof CASE_FILE_FORMATS)[number];

/** Who receives the case file, and in which form. */
export class CaseFileQuery {
  @ApiProperty({
    example: 'Osnovno javno tužilaštvo u Nišu',
    description: 'The prosecutor’s office the file is issued to (recorded with the disclosure)',
  })
  @IsString()
  @IsFreeText()
  @Length(2, 200)
  recipient: string;

  @ApiPropertyOptional({
    enum: CASE_FILE_FORMATS,
    default: 'json',
    description: '`pdf`: the same file as a PDF signed with the audit key (checked with `documents:verify`)',
  })
  @IsOptional()
  @IsIn(CASE_FILE_FORMATS)
  format?: CaseFileFormat;
}
