import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Length } from 'class-validator';
import { IsFreeText, IsIsoTimestamp } from '@app/common';
import { ADDRESS_CHECK_OUTCOMES, type AddressCheckOutcome } from '../entities/address-check.entity';

export class CreateAddressCheckDto {
  @ApiProperty({ format: 'uuid', description: 'One of the person’s addresses' })
  @IsUUID('all', { message: 'addressId must be a UUID' })
  addressId: string;

  @ApiProperty({ example: '2026-12-02T19:30:00+01:00', description: 'When the address was checked; not in the future' })
  @IsIsoTimestamp()
  checkedAt: string;

  @ApiProperty({
    enum: ADDRESS_CHECK_OUTCOMES,
    description:
      'confirmed: the person lives there; absent: not found there; moved: no longer lives there; refused: the ' +
      'check was refused',
  })
  @IsIn(ADDRESS_CHECK_OUTCOMES)
  outcome: AddressCheckOutcome;

  @ApiProperty({ example: 'Neighbour says he left in November.' })
  @IsString()
  @IsFreeText({ multiline: true })
  @Length(1, 1000)
  note: string;
}
