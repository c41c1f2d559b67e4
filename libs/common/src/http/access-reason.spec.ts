import { DomainError } from '../errors/domain-error';
import { parseAccessReason } from './access-reason';

function refusal(header: string): { code: string; errors: unknown } {
  try {
    parseAccessReason(header);
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, errors: error.errors };
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(header)}`);
}

describe('parseAccessReason', () => {
  it('is null when absent, and the decoded, normalised text otherwise', () => {
    expect(parseAccessReason(undefined)).toBeNull();
    expect(parseAccessReason('KT-100%2F2026')).toBe('KT-100/2026');
    expect(parseAccessReason('%20Predmet%20%C4%8D%20')).toBe('Predmet č');
    // c and a combining acute: composed to ć.
    expect(parseAccessReason('Provera%20c%CC%81')).toBe('Provera ć');
    expect(parseAccessReason(['KT-1', 'KT-2'])).toBe('KT-1');
  });

  it.each([
    ['not percent-encoding', '%E0%A4%A', 'is not valid percent-encoded UTF-8'],
    ['too short', 'ab', 'must be 3-200 characters'],
    ['too long', 'x'.repeat(201), 'must be 3-200 characters'],
    ['only spaces', '%20%20%20%20', 'must contain visible text'],
    ['empty', '', 'must be 3-200 characters'],
    ['a NUL', 'KT-100%002026', 'must not contain control characters (it contains U+0000)'],
    ['only NULs', '%00%00%00', 'must not contain control characters (it contains U+0000)'],
    ['a line break', 'KT-100%0A2026', 'must be a single line (it contains U+000A)'],
    ['a C1 control (raw Latin-1 byte)', 'KT-100\u00852026', 'must not contain control characters (it contains U+0085)'],
    [
      'only zero-width spaces',
      '%E2%80%8B%E2%80%8B%E2%80%8B',
      'must not contain invisible formatting characters (it contains U+200B)',
    ],
    [
      'a right-to-left override',
      'KT-100%E2%80%AE6202',
      'must not contain invisible formatting characters (it contains U+202E)',
    ],
    ['an isolate', '%E2%81%A6KT-100%E2%81%A9', 'must not contain invisible formatting characters (it contains U+2066)'],
    [
      'a soft hyphen (raw Latin-1 byte)',
      'KT\u00AD100',
      'must not contain invisible formatting characters (it contains U+00AD)',
    ],
    ['only blank braille and no-break spaces', '%E2%A0%80%C2%A0%C2%A0%E2%A0%80', 'must contain visible text'],
  ])('refuses %s: 400 reason_required naming the header', (_what, header, problem) => {
    expect(refusal(header)).toEqual({
      code: 'reason_required',
      errors: [{ field: 'X-Access-Reason', message: problem }],
    });
  });
});
