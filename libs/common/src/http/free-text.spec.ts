import { plainToInstance } from 'class-transformer';
import { IsOptional, IsString, validateSync } from 'class-validator';
import { freeTextProblem, IsFreeText, normaliseText } from './free-text';

class Named {
  @IsString()
  @IsFreeText()
  name: string;

  @IsOptional()
  @IsString()
  @IsFreeText({ multiline: true })
  note?: string;

  @IsOptional()
  @IsString({ each: true })
  @IsFreeText({ each: true })
  aliases?: string[];
}

function errorsOf(plain: object): Record<string, string[]> {
  const errors = validateSync(plainToInstance(Named, plain));
  return Object.fromEntries(errors.map((e) => [e.property, Object.values(e.constraints ?? {})]));
}

describe('free text', () => {
  it.each([
    ['NUL', 'Pe\u0000tar', 'must not contain control characters (it contains U+0000)'],
    ['a bell', 'Petar\u0007', 'must not contain control characters (it contains U+0007)'],
    ['a C1 control', 'Pe\u0085tar', 'must not contain control characters (it contains U+0085)'],
    ['DEL', 'Pe\u007ftar', 'must not contain control characters (it contains U+007F)'],
    ['a line break', 'Pe\ntar', 'must be a single line (it contains U+000A)'],
    ['a tab', 'Pe\ttar', 'must be a single line (it contains U+0009)'],
    ['a line separator', 'Pe\u2028tar', 'must be a single line (it contains U+2028)'],
    ['a zero-width space', 'Petro\u200Bvić', 'must not contain invisible formatting characters (it contains U+200B)'],
    ['a zero-width joiner', 'Pe\u200Dtar', 'must not contain invisible formatting characters (it contains U+200D)'],
    [
      'a right-to-left override',
      '\u202EPetar',
      'must not contain invisible formatting characters (it contains U+202E)',
    ],
    [
      'a left-to-right embedding',
      'Pe\u202Atar',
      'must not contain invisible formatting characters (it contains U+202A)',
    ],
    [
      'a first-strong isolate',
      '\u2068Petar\u2069',
      'must not contain invisible formatting characters (it contains U+2068)',
    ],
    ['a left-to-right mark', 'Petar\u200E', 'must not contain invisible formatting characters (it contains U+200E)'],
    ['a soft hyphen', 'Pe\u00ADtar', 'must not contain invisible formatting characters (it contains U+00AD)'],
    [
      'a byte order mark inside',
      'Pe\uFEFFtar',
      'must not contain invisible formatting characters (it contains U+FEFF)',
    ],
    ['a Hangul filler', '\u3164', 'must not contain invisible formatting characters (it contains U+3164)'],
    ['a variation selector', 'Pe\uFE0Ftar', 'must not contain invisible formatting characters (it contains U+FE0F)'],
    ['a language tag', 'Petar\u{E0041}', 'must not contain invisible formatting characters (it contains U+E0041)'],
    ['nothing', '', 'must contain visible text'],
    ['only spaces', '   ', 'must contain visible text'],
    ['only blank braille', '\u2800\u2800\u2800', 'must contain visible text'],
    ['only combining marks', '\u0301\u0301', 'must contain visible text'],
    ['only no-break and ideographic spaces', '\u00A0\u3000', 'must contain visible text'],
  ])('refuses %s', (_what, text, problem) => {
    expect(freeTextProblem(text)).toBe(problem);
  });

  it.each([
    ['Latin with diacritics', 'Đorđe Šćepanović-Žarković'],
    ['Cyrillic', 'Ђорђе Шћепановић'],
    ['other scripts', 'Müller, Øster, Łukasz, 山田 太郎, محمد'],
    ['punctuation and symbols', 'K 123/2020 (ispravka) – §185a, 50%'],
    ['inner no-break spaces', 'Novi\u00A0Sad'],
    ['a single visible character', 'X'],
  ])('accepts %s', (_what, text) => {
    expect(freeTextProblem(text)).toBeNull();
  });

  it('allows line breaks and tabs only in multiline text, never other controls', () => {
    expect(freeTextProblem('Prvi red\r\nDrugi red\tkraj', { multiline: true })).toBeNull();
    expect(freeTextProblem('Prvi red\u0000', { multiline: true })).toBe(
      'must not contain control characters (it contains U+0000)',
    );
    expect(freeTextProblem('Prvi\u2028red', { multiline: true })).toBe('must be a single line (it contains U+2028)');
    expect(freeTextProblem('\n\n\t', { multiline: true })).toBe('must contain visible text');
  });

  it('normalises to NFC and trims, but leaves whitespace alone as it is', () => {
    expect(normaliseText('  Petrovic\u0301 \n')).toBe('Petrović');
    expect(normaliseText('\uFEFFPetar')).toBe('Petar');
    expect(normaliseText(' \u00A0 ')).toBe(' \u00A0 ');
  });

  it('as a decorator: normalises the value, then names the field and the character', () => {
    const named = plainToInstance(Named, { name: ' Petrovic\u0301 ', aliases: [' Pera ', 'Перица'] });
    expect(named).toEqual({ name: 'Petrović', aliases: ['Pera', 'Перица'] });
    expect(validateSync(named)).toEqual([]);
    expect(errorsOf({ name: 'Pe\u200Btar' })).toEqual({
      name: ['name must not contain invisible formatting characters (it contains U+200B)'],
    });
    expect(errorsOf({ name: '   ' })).toEqual({ name: ['name must contain visible text'] });
    // Empty is the length rule's to refuse (`@Length(1, ...)` beside it), not a second error.
    expect(errorsOf({ name: '' })).toEqual({});
    expect(errorsOf({ name: 'Petar', note: 'Red\nred', aliases: ['Pera', 'Pe\u202Era'] })).toEqual({
      aliases: ['aliases must not contain invisible formatting characters (it contains U+202E)'],
    });
    expect(errorsOf({ name: 'Petar', note: '\u0007' })).toEqual({
      note: ['note must not contain control characters (it contains U+0007)'],
    });
  });

  it('leaves other types to the field type rule', () => {
    expect(errorsOf({ name: 12 })).toEqual({ name: ['name must be a string'] });
  });
});
