import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length } from 'class-validator';
import { IsLatitude, IsLongitude } from './place.dto';
import { IsFreeText, IsIsoDate, UpdateType } from '@app/common';

export class CreateWorkplaceDto {
  @ApiProperty({ example: 'Gradsko zelenilo d.o.o.' })
  @IsString()
  @IsFreeText()
  @Length(1, 200)
  employer: string;

  @ApiProperty({ example: 'Bulevar Nemanjića 2, Niš' })
  @IsString()
  @IsFreeText()
  @Length(1, 300)
  address: string;

  @ApiProperty()
  @IsBoolean()
  involvesMinors: boolean;

  @ApiPropertyOptional({
    default: false,
    description: 'The workplace is a public office (the ban on acquiring public office applies to it)',
  })
  @IsOptional()
  @IsBoolean()
  publicOffice?: boolean;

  @ApiProperty({ example: '2026-02-01' })
  @IsIsoDate()
  validFrom: string;

  @ApiPropertyOptional({
    type: Number,
    example: 43.3209,
    minimum: -90,
    maximum: 90,
    nullable: true,
    description: 'WGS 84; with longitude or not at all (checked against places where minors gather)',
  })
  @IsOptional()
  @IsLatitude()
  latitude?: number | null;

  @ApiPropertyOptional({
    type: Number,
    example: 21.8958,
    minimum: -180,
    maximum: 180,
    nullable: true,
    description: 'With latitude',
  })
  @IsOptional()
  @IsLongitude()
  longitude?: number | null;
}

export class UpdateWorkplaceDto extends UpdateType(CreateWorkplaceDto) {}
