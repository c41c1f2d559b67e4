import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import { IsFreeText, IsIsoDate } from '@app/common';

export class DnaReferenceDto {
  @ApiProperty({ example: 'NCFE Beograd' })
  @IsString()
  @IsFreeText()
  @Length(1, 200)
  laboratory: string;

  @ApiProperty({ example: 'S-2026-000123' })
  @IsString()
  @IsFreeText()
  @Length(1, 100)
  sampleId: string;

  @ApiProperty({
    example: 'RS-DNA-000123',
    description: 'A reference into the national DNA database, never the profile',
  })
  @IsString()
  @IsFreeText()
  @Length(1, 100)
  profileReference: string;

  @ApiProperty({ example: '2026-10-01' })
  @IsIsoDate()
  collectedOn: string;
}

export class DistinguishingMarkDto {
  @ApiProperty({ example: 'left forearm' })
  @IsString()
  @IsFreeText()
  @Length(1, 200)
  bodyPart: string;

  @ApiProperty({ example: 'tattoo of an anchor' })
  @IsString()
  @IsFreeText()
  @Length(1, 200)
  description: string;
}

export class PhysicalDescriptionDto {
  @ApiProperty({ example: 182 })
  @IsInt()
  @Min(50)
  @Max(250)
  heightCm: number;

  @ApiPropertyOptional({ example: 80 })
  @IsOptional()
  @IsInt()
  @Min(20)
  @Max(400)
  weightKg?: number;

  @ApiProperty({ example: 'brown' })
  @IsString()
  @IsFreeText()
  @Length(1, 200)
  eyeColour: string;

  @ApiProperty({ example: 'black' })
  @IsString()
  @IsFreeText()
  @Length(1, 200)
  hairColour: string;

  @ApiPropertyOptional({ example: 'athletic' })
  @IsOptional()
  @IsString()
  @IsFreeText()
  @Length(1, 200)
  build?: string;

  @ApiProperty({ type: [DistinguishingMarkDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => DistinguishingMarkDto)
  distinguishingMarks: DistinguishingMarkDto[];
}
