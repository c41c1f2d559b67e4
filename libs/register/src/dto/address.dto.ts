import { ApiProperty, OmitType } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';
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
}

/** A correction of an address: any of its fields but `kind`. */
export class UpdateAddressDto extends UpdateType(OmitType(CreateAddressDto, ['kind'] as const)) {}
