import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsNumber, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { IsFreeText, PageQuery, UpdateType } from '@app/common';
import { PLACE_KINDS, type PlaceKind } from '../entities/place.entity';

export const EXTERNAL_ID = /^[A-Za-z0-9._:/-]{1,60}$/;

/** A latitude (WGS 84, degrees): on its own a property decorator, for places, addresses and workplaces. */
export function IsLatitude(): PropertyDecorator {
  return (target, key) => {
    IsNumber({ allowNaN: false, allowInfinity: false })(target, key);
    Min(-90)(target, key);
    Max(90)(target, key);
  };
}

export function IsLongitude(): PropertyDecorator {
  return (target, key) => {
    IsNumber({ allowNaN: false, allowInfinity: false })(target, key);
    Min(-180)(target, key);
    Max(180)(target, key);
  };
}

export class CreatePlaceDto {
  @ApiProperty({ example: 'MPN-OS-1234', pattern: EXTERNAL_ID.source, description: 'The id in the source list' })
  @Matches(EXTERNAL_ID, { message: 'externalId must be 1-60 letters, digits or . _ : / -' })
  externalId: string;

  @ApiProperty({ enum: PLACE_KINDS })
  @IsIn(PLACE_KINDS, { message: `kind must be one of: ${PLACE_KINDS.join(', ')}` })
  kind: PlaceKind;

  @ApiProperty({ example: 'OŠ "Vuk Karadžić"' })
  @IsString()
  @IsFreeText()
  @Length(1, 200)
  name: string;

  @ApiProperty({ example: 'Obrenovićeva 10, Niš' })
  @IsString()
  @IsFreeText()
  @Length(1, 300)
  address: string;

  @ApiProperty({ example: 43.3209, minimum: -90, maximum: 90 })
  @IsLatitude()
  latitude: number;

  @ApiProperty({ example: 21.8958, minimum: -180, maximum: 180 })
  @IsLongitude()
  longitude: number;

  @ApiPropertyOptional({ default: true, description: 'An inactive place is checked against no one' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

/** A change of a place: any of its fields but its external id. */
export class UpdatePlaceDto extends UpdateType(OmitType(CreatePlaceDto, ['externalId'] as const)) {}

export class PlaceQuery extends PageQuery {
  @ApiPropertyOptional({ enum: PLACE_KINDS })
  @IsOptional()
  @IsIn(PLACE_KINDS, { message: `kind must be one of: ${PLACE_KINDS.join(', ')}` })
  kind?: PlaceKind;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Only the active (or inactive) places; none: all' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'active must be true or false' })
  active?: 'true' | 'false';
}
