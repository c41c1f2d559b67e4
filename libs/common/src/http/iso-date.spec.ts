import { plainToInstance } from 'class-transformer';
import { IsOptional, validateSync } from 'class-validator';
import { IsIsoDate, isIsoDate, IsIsoDateOrTimestamp, IsIsoTimestamp, isIsoTimestamp } from './iso-date';

class Dated {
  @IsOptional()
  @IsIsoDate()
  day?: string;

  @IsOptional()
  @IsIsoTimestamp()
  at?: string;

  @IsOptional()
  @IsIsoDateOrTimestamp()
  from?: string;
}

function messages(plain: object): string[] {
  return validateSync(plainToInstance(Dated, plain)).flatMap((e) => Object.values(e.constraints ?? {}));
}

describe('dates and times a client sends', () => {
  it.each([
    ['2026-11-28', true],
    ['2024-02-29', true],
    ['0001-01-01', true],
    ['9999-12-31', true],
    ['0000-01-01', false],
    ['2026-13-45', false],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-02-30', false],
    ['2025-02-29', false],
    ['2026-04-31', false],
    ['2026-12-00', false],
    ['10000-01-01', false],
    ['2026-1-1', false],
    ['2026-11-28T10:00:00Z', false],
    [' 2026-11-28', false],
  ])('date %j: %s', (value, ok) => {
    expect(isIsoDate(value)).toBe(ok);
  });

  it.each([
    ['2026-11-28T10:00:00Z', true],
    ['2026-11-28T10:00Z', true],
    ['2026-11-28T23:59:59.999999+01:00', true],
    ['2026-11-28T00:00:00-12:00', true],
    ['2026-11-28T10:00:00+14:00', true],
    ['0001-01-01T12:00:00Z', true],
    ['9999-12-31T12:00:00Z', true],
    ['2026-11-28T24:00:00Z', false],
    ['2026-11-28T23:60:00Z', false],
    ['2026-11-28T23:59:60Z', false],
    ['2026-11-28T10:00:00+24:00', false],
    ['2026-11-28T10:00:00+14:01', false],
    ['2026-11-28T10:00:00+01:60', false],
    ['2026-02-30T10:00:00Z', false],
    ['2026-13-45T10:00:00Z', false],
    ['0000-01-01T10:00:00Z', false],
    // Days that exist whose instant falls outside years 1-9999.
    ['0001-01-01T00:30:00+01:00', false],
    ['9999-12-31T23:30:00-01:00', false],
    ['2026-11-28T10:00:00', false],
    ['2026-11-28 10:00:00Z', false],
    ['2026-11-28T10:00:00.1234567Z', false],
    ['2026-11-28', false],
  ])('timestamp %j: %s', (value, ok) => {
    expect(isIsoTimestamp(value)).toBe(ok);
  });

  it('says whether the shape or the day is wrong, as the field error', () => {
    expect(messages({ day: '28.11.2026' })).toEqual(['day must be a date (YYYY-MM-DD)']);
    expect(messages({ day: '0000-01-01' })).toEqual(['is not a real date']);
    expect(messages({ at: '2026-11-28' })).toEqual(['at must be a timestamp with offset, e.g. 2026-11-28T10:00:00Z']);
    expect(messages({ at: '2026-11-28T24:00:00Z' })).toEqual(['is not a real date and time']);
    expect(messages({ from: 'yesterday' })).toEqual(['from must be a date or a timestamp with offset']);
    expect(messages({ from: '2026-13-45' })).toEqual(['is not a real date']);
    expect(messages({ from: '2026-11-28T10:00:60Z' })).toEqual(['is not a real date and time']);
    expect(messages({ day: '2026-11-28', at: '2026-11-28T10:00:00+01:00', from: '2026-11-28' })).toEqual([]);
  });
});
