import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsLatitude, IsLongitude } from './place.dto';
import { IsFreeText, IsIsoDate, IsPoliceAdministrationCode, UpdateType } from '@app/common';
import { ADDRESS_KINDS, type AddressKind } from '../entities/address.entity';

export class CreateAddressDto {
  @ApiProperty({ enum: ADDRESS_KINDS })
  @IsIn(ADDRESS_KINDS)
  kind: AddressKind;

  @ApiProperty({ example: 'Knez Mihailova 1' })
  @IsString()
  @IsFreeText()
  @Length(1, 200)
  street: string;

  @ApiProperty({ example: 'Beograd' })
  @IsString()
  @IsFreeText()
  @Length(1, 100)
  city: string;

  @ApiProperty({ example: '11000' })
  @Matches(/^\d{5}$/, { message: 'postalCode must be 5 digits' })
  postalCode: string;

  @ApiProperty({ example: 'PU-BEOGRAD' })
  @IsPoliceAdministrationCode({ message: 'policeAdministration must be a code such as PU-BEOGRAD' })
  policeAdministration: string;

  @ApiProperty({ example: '2026-11-01' })
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

/** A correction of an address: any of its fields but `kind`. */
export class UpdateAddressDto extends UpdateType(OmitType(CreateAddressDto, ['kind'] as const)) {}
