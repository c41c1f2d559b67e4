import { ApiProperty } from '@nestjs/swagger';
import countryNames from 'i18n-iso-countries';
import { ISO_COUNTRY_CODES } from '@app/common';

/** A country as the forms offer it: the ISO 3166-1 alpha-2 code the register keeps, named in both languages. */
export class CountryView {
  @ApiProperty({ pattern: '^[A-Z]{2}$', example: 'HU' })
  code!: string;

  /** The Serbian name, in Latin script as the console writes Serbian. */
  @ApiProperty({ example: 'Mađarska', description: 'The Serbian name, in Latin script' })
  nameSr!: string;

  @ApiProperty({ example: 'Hungary' })
  nameEn!: string;
}

/** Serbian Cyrillic to Latin, letter for letter (the official pairs; a digraph for љ, њ, џ). */
const LATIN: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', ђ: 'đ', е: 'e', ж: 'ž', з: 'z', и: 'i', ј: 'j', к: 'k', л: 'l',
  љ: 'lj', м: 'm', н: 'n', њ: 'nj', о: 'o', п: 'p', р: 'r', с: 's', т: 't', ћ: 'ć', у: 'u', ф: 'f', х: 'h',
  ц: 'c', ч: 'č', џ: 'dž', ш: 'š',
}; // prettier-ignore

export function toLatin(cyrillic: string): string {
  return [...cyrillic]
    .map((letter) => {
      const lower = letter.toLowerCase();
      const latin = LATIN[lower];
      if (latin === undefined) return letter;
      return letter === lower ? latin : latin.charAt(0).toUpperCase() + latin.slice(1);
    })
    .join('');
}

/**
 * The countries of ISO 3166-1 (the i18n-iso-countries package's list and
 * names, in the package's version), by Serbian name in the Serbian
 * collation. Made once: the list changes only with the package.
 */
export const COUNTRIES: readonly CountryView[] = (() => {
  const serbian = countryNames.getNames('sr', { select: 'official' });
  const english = countryNames.getNames('en', { select: 'official' });
  const collator = new Intl.Collator('sr-Latn');
  return [...ISO_COUNTRY_CODES]
    .map((code) => ({ code, nameSr: toLatin(serbian[code] ?? english[code] ?? code), nameEn: english[code] ?? code }))
    .sort((a, b) => collator.compare(a.nameSr, b.nameSr));
})();
