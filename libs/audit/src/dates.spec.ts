import { belgradeMidnight, lowerBound, upperBound } from './dates';

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
