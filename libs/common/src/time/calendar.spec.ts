import { addDays, addYears, belgradeMidnight, belgradeToday, isRealDate, lowerBound, upperBound } from './calendar';

describe('register dates', () => {
  it('knows real dates', () => {
    expect(isRealDate('2024-02-29')).toBe(true);
    expect(isRealDate('2026-02-29')).toBe(false);
    expect(isRealDate('2026-13-01')).toBe(false);
  });

  it('adds years, keeping leap days inside February', () => {
    expect(addYears('2026-05-10', 20)).toBe('2046-05-10');
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
  });

  it('gives the Belgrade calendar date, not UTC’s', () => {
    expect(belgradeToday(new Date('2026-11-27T23:30:00Z'))).toBe('2026-11-28');
    expect(belgradeToday(new Date('2026-07-01T21:59:00Z'))).toBe('2026-07-01');
    expect(belgradeToday(new Date('2026-07-01T22:00:00Z'))).toBe('2026-07-02');
  });
});

describe('Belgrade calendar bounds', () => {
  it('maps a winter and a summer date to local midnight', () => {
    expect(belgradeMidnight('2026-01-15').toISOString()).toBe('2026-01-14T23:00:00.000Z');
    expect(belgradeMidnight('2026-07-15').toISOString()).toBe('2026-07-14T22:00:00.000Z');
  });

  it('handles the daylight-saving change days', () => {
    expect(belgradeMidnight('2026-03-29').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(upperBound('2026-03-29').toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(upperBound('2026-10-25').toISOString()).toBe('2026-10-25T23:00:00.000Z');
  });

  it('gives an invalid instant for a date that does not exist', () => {
    expect(Number.isNaN(lowerBound('2026-02-30').getTime())).toBe(true);
    expect(Number.isNaN(upperBound('2026-13-01').getTime())).toBe(true);
  });

  it('takes a date as the whole day and a timestamp as given', () => {
    expect(lowerBound('2026-11-28').toISOString()).toBe('2026-11-27T23:00:00.000Z');
    expect(upperBound('2026-11-28').toISOString()).toBe('2026-11-28T23:00:00.000Z');
    expect(lowerBound('2026-11-28T10:00:00Z').toISOString()).toBe('2026-11-28T10:00:00.000Z');
  });
});

describe('addDays', () => {
  it('crosses month and year ends', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
});
