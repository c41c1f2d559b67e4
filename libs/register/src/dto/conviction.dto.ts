import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsFreeText, IsIsoDate, UpdateType } from '@app/common';
import { SENTENCE_KINDS, type SentenceKind, VICTIM_AGES, type VictimAge } from '../entities/conviction.entity';

export class OffenceDto {
  @ApiProperty({ example: '185a' })
  @Matches(/^\d{3}[a-z]?$/, { message: 'article must be an article such as 180 or 185a' })
  article: string;

  @ApiPropertyOptional({ example: 3 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  paragraph?: number;
}

export class SentenceDto {
  @ApiProperty({ enum: SENTENCE_KINDS })
  @IsIn(SENTENCE_KINDS)
  kind: SentenceKind;

  @ApiPropertyOptional({ example: 60 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(600)
  months?: number;
}

export class CreateConvictionDto {
  @ApiProperty({ example: 'Viši sud u Beogradu' })
  @IsString()
  @IsFreeText()
  @Length(1, 200)
  court: string;

  @ApiProperty({ example: 'K 123/2020' })
  @IsString()
  @IsFreeText()
  @Length(1, 100)
  caseNumber: string;

  @ApiProperty({ example: '2020-03-01' })
  @IsIsoDate()
  judgmentDate: string;

  @ApiProperty({ example: '2020-06-01' })
  @IsIsoDate()
  finalityDate: string;

  @ApiProperty({ type: [OffenceDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => OffenceDto)
  offences: OffenceDto[];

  @ApiProperty({ enum: VICTIM_AGES })
  @IsIn(VICTIM_AGES)
  victimAge: VictimAge;

  @ApiProperty({ type: SentenceDto })
  @ValidateNested()
  @Type(() => SentenceDto)
  sentence: SentenceDto;

  @ApiPropertyOptional({ example: '2025-03-01', description: 'The expected release (imprisonment)' })
  @IsOptional()
  @IsIsoDate()
  releaseDate?: string;

  @ApiPropertyOptional({
    example: '2020-06-01',
    description: 'When custody for the imprisonment began (default: the finality date)',
  })
  @IsOptional()
  @IsIsoDate()
  custodyFrom?: string;
}

/** A correction: any field of the conviction; the expected release and the custody start may also be null. */
export class UpdateConvictionDto extends UpdateType(CreateConvictionDto, ['releaseDate', 'custodyFrom']) {}
