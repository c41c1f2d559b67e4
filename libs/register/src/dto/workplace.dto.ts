import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length } from 'class-validator';
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
}

export class UpdateWorkplaceDto extends UpdateType(CreateWorkplaceDto) {}
