import { expectedCheckDigit, jmbgErrors, parseJmbg } from './jmbg';

describe('JMBG', () => {
  it.each([
    ['0101900350008', '1900-01-01', 'M', '35'],
    ['0101990360007', '1990-01-01', 'M', '36'],
    ['0101000805018', '2000-01-01', 'F', '80'],
  ])('accepts %s (born %s, %s, region %s)', (jmbg, dateOfBirth, sex, registrationRegion) => {
    expect(parseJmbg(jmbg)).toEqual({ facts: { dateOfBirth, sex, registrationRegion } });
    expect(jmbgErrors(jmbg, { dateOfBirth, sex })).toEqual([]);
  });

  it.each([
    ['0101900350007', 'check_digit'],
    ['010190035000', 'format'],
    ['01019003500081', 'format'],
    ['010190035000a', 'format'],
    ['3002990360000', 'date'],
    ['2902001805015', 'date'],
    ['0113990360000', 'date'],
    ['0000990360000', 'date'],
  ])('refuses %s (%s)', (jmbg, problem) => {
    expect(parseJmbg(jmbg)).toEqual({ problem });
  });

  it('reads the century: 9xx is 1xxx, 0xx is 2xxx, and 29 February only in leap years', () => {
    const leap = '2902000' + '80501';
    const digit = expectedCheckDigit(leap);
    expect(digit).not.toBeNull();
    expect(parseJmbg(leap + digit)).toMatchObject({ facts: { dateOfBirth: '2000-02-29', sex: 'F' } });
  });

  it('treats a remainder of 1 as invalid by default, or as check digit 0 when configured', () => {
    // Find a 12-digit prefix whose weighted sum leaves remainder 1.
    let prefix = '';
    for (let serial = 0; serial < 1000 && !prefix; serial++) {
      const candidate = `0101990360${String(serial).padStart(3, '0')}`.slice(0, 12);
      if (expectedCheckDigit(candidate) === null) prefix = candidate;
    }
    expect(prefix).not.toBe('');
    expect(parseJmbg(`${prefix}0`)).toEqual({ problem: 'check_digit' });
    expect(parseJmbg(`${prefix}0`, 'zero')).toMatchObject({ facts: { dateOfBirth: '1990-01-01' } });
  });

  it('must agree with the stated date of birth and sex', () => {
    expect(jmbgErrors('0101900350008', { dateOfBirth: '1900-01-02', sex: 'F' })).toEqual([
      'does not agree with dateOfBirth',
      'does not agree with sex (000-499 male, 500-999 female)',
    ]);
  });
});
