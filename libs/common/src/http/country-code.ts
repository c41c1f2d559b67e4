import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

/** An ISO 3166-1 alpha-2 country code (RS, HU, DE). */
export const COUNTRY_CODE = /^[A-Z]{2}$/;

/**
 * An ISO 3166-1 alpha-2 country code, checked and documented (a travel
 * notice's destination, an identity document's issuing country, a
 * disclosure's recipient).
 */
export function IsCountryCode(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ pattern: COUNTRY_CODE.source, example: 'HU' }),
    Matches(COUNTRY_CODE, { message: '$property must be an ISO 3166-1 alpha-2 code' }),
  );
}
