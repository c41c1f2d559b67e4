import { addYears, belgradeToday, isRealDate } from './dates';

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
