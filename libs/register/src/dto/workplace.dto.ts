import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length, Matches } from 'class-validator';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class CreateWorkplaceDto {
  @ApiProperty({ example: 'Gradsko zelenilo d.o.o.' })
  @IsString()
  @Length(1, 200)
  employer: string;

  @ApiProperty({ example: 'Bulevar Nemanjića 2, Niš' })
  @IsString()
  @Length(1, 300)
  address: string;

  @ApiProperty()
  @IsBoolean()
  involvesMinors: boolean;

  @ApiProperty({ example: '2026-02-01' })
  @Matches(DATE, { message: 'validFrom must be a date (YYYY-MM-DD)' })
  validFrom: string;
}

export class UpdateWorkplaceDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  employer?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 300)
  address?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  involvesMinors?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(DATE, { message: 'validFrom must be a date (YYYY-MM-DD)' })
  validFrom?: string;
}
