/** Serbian Cyrillic to Latin, letter by letter (љ њ џ become the digraphs lj nj dž). */
const CYRILLIC_TO_LATIN: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  ђ: 'đ',
  е: 'e',
  ж: 'ž',
  з: 'z',
  и: 'i',
  ј: 'j',
  к: 'k',
  л: 'l',
  љ: 'lj',
  м: 'm',
  н: 'n',
  њ: 'nj',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  ћ: 'ć',
  у: 'u',
  ф: 'f',
  х: 'h',
  ц: 'c',
  ч: 'č',
  џ: 'dž',
  ш: 'š',
};

/** Latin with diacritics to plain ASCII as people type it: č ć → c, š → s, ž → z, đ → dj. */
const FOLD: Record<string, string> = { č: 'c', ć: 'c', š: 's', ž: 'z', đ: 'dj' };

/** Format characters and other default-ignorable code points (zero-width space, direction overrides): invisible. */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

/**
 * The search key of a name: invisible characters dropped, Cyrillic
 * transliterated, lower case, Serbian diacritics folded (đ as dj), other
 * accents removed, spaces collapsed. `Петровић`, `Petrović` and `PETROVIC`
 * all give `petrovic`; so does `Petro\u200Bvić`, which reads the same (the
 * free-text rules refuse such a name now, but one stored before, or a
 * search term pasted with one, must not split into two words).
 */
export function searchKey(text: string): string {
  const lower = text.replace(INVISIBLE, '').normalize('NFC').toLowerCase();
  let latin = '';
  for (const ch of lower) latin += CYRILLIC_TO_LATIN[ch] ?? ch;
  let folded = '';
  for (const ch of latin) folded += FOLD[ch] ?? ch;
  return folded
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
