import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import countryNames from 'i18n-iso-countries';
import { Matches, ValidateBy } from 'class-validator';

/** An ISO 3166-1 alpha-2 country code (RS, HU, DE). */
export const COUNTRY_CODE = /^[A-Z]{2}$/;

/**
 * The codes ISO 3166-1 assigns, from the i18n-iso-countries package's list
 * (in the package's version); XK, which the package lists, is a
 * user-assigned code, not one ISO assigns.
 */
export const ISO_COUNTRY_CODES: ReadonlySet<string> = new Set(
  Object.keys(countryNames.getAlpha2Codes()).filter((code) => code !== 'XK'),
);

/**
 * An ISO 3166-1 alpha-2 country code, checked and documented (a travel
 * notice's destination, an identity document's issuing country, a
 * disclosure's recipient): two capital letters that ISO assigns (`ZZ` is
 * refused).
 */
export function IsCountryCode(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ pattern: COUNTRY_CODE.source, example: 'HU', description: 'ISO 3166-1 alpha-2, an assigned code' }),
    Matches(COUNTRY_CODE, { message: '$property must be an ISO 3166-1 alpha-2 code' }),
    ValidateBy({
      name: 'isAssignedCountryCode',
      validator: {
        validate: (value: unknown) =>
          typeof value !== 'string' || !COUNTRY_CODE.test(value) || ISO_COUNTRY_CODES.has(value),
        defaultMessage: () => '$property is not a country code ISO 3166-1 assigns',
      },
    }),
  );
}
