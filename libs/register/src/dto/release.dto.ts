import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsUUID, Length } from 'class-validator';
import { IsFreeText, IsIsoDate } from '@app/common';

/** The actual release from an imprisonment (If-Match: the conviction's version). */
export class RecordReleaseDto {
  @ApiProperty({ description: 'The conviction to imprisonment served', format: 'uuid' })
  @IsUUID()
  convictionId: string;

  @ApiProperty({ example: '2026-12-10', description: 'The first day free (not in the future)' })
  @IsIsoDate()
  releasedOn: string;

  @ApiProperty({ example: 'Kazneno-popravni zavod Niš', description: 'The facility released from' })
  @IsString()
  @IsFreeText()
  @Length(1, 200)
  facility: string;
}
