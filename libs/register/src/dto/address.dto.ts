import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { ADDRESS_KINDS, type AddressKind } from '../entities/address.entity';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ADMINISTRATION = /^PU-[A-Z]+(-[A-Z]+)*$/;

export class CreateAddressDto {
  @ApiProperty({ enum: ADDRESS_KINDS })
  @IsIn(ADDRESS_KINDS)
  kind: AddressKind;

  @ApiProperty({ example: 'Knez Mihailova 1' })
  @IsString()
  @Length(1, 200)
  street: string;

  @ApiProperty({ example: 'Beograd' })
  @IsString()
  @Length(1, 100)
  city: string;

  @ApiProperty({ example: '11000' })
  @Matches(/^\d{5}$/, { message: 'postalCode must be 5 digits' })
  postalCode: string;

  @ApiProperty({ example: 'PU-BEOGRAD' })
  @Matches(ADMINISTRATION, { message: 'policeAdministration must be a code such as PU-BEOGRAD' })
  policeAdministration: string;

  @ApiProperty({ example: '2026-11-01' })
  @Matches(DATE, { message: 'validFrom must be a date (YYYY-MM-DD)' })
  validFrom: string;
}

export class UpdateAddressDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  street?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 100)
  city?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^\d{5}$/, { message: 'postalCode must be 5 digits' })
  postalCode?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ADMINISTRATION, { message: 'policeAdministration must be a code such as PU-BEOGRAD' })
  policeAdministration?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(DATE, { message: 'validFrom must be a date (YYYY-MM-DD)' })
  validFrom?: string;
}
