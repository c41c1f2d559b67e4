import { DomainError } from '../errors/domain-error';
import { type CursorValue, decodeCursor, encodeCursor } from './page';

const ID = '3f2c1a9e-8b7d-4c6e-9f01-23456789abcd';

describe('decodeCursor', () => {
  it.each<[CursorValue[], unknown[]]>([
    [
      ['time', 'uuid'],
      ['2026-11-28T21:05:07.123456Z', ID],
    ],
    [
      ['date', 'uuid'],
      ['2024-02-29', ID],
    ],
    [
      ['text', 'uuid'],
      ['petrovic', ID],
    ],
    [
      ['number', 'uuid'],
      [0.41666666, ID],
    ],
    [['seq'], ['10000002']],
    [['seq'], [17]],
  ])('returns a position of the kinds %j', (kinds, position) => {
    expect(decodeCursor(encodeCursor(position), kinds)).toEqual(position);
  });

  it.each<[string, CursorValue[], unknown[]]>([
    ['30 February', ['time', 'uuid'], ['2026-02-30T00:00:00Z', ID]],
    ['hour 24', ['time', 'uuid'], ['2026-02-03T24:00:00Z', ID]],
    ['minute 61', ['time', 'uuid'], ['2026-02-03T10:61:00Z', ID]],
    ['a local time', ['time', 'uuid'], ['2026-02-03T10:00:00', ID]],
    ['a day that does not exist', ['date', 'uuid'], ['2023-02-29', ID]],
    ['not a UUID', ['text', 'uuid'], ['petrovic', 'x']],
    ['a NUL in text', ['text', 'uuid'], ['a\u0000b', ID]],
    ['a string for a number', ['number', 'uuid'], ['0.5', ID]],
    ['a negative sequence number', ['seq'], [-1]],
    ['too many values', ['seq'], [1, 2]],
  ])('refuses %s as a validation error', (_, kinds, position) => {
    expect(() => decodeCursor(encodeCursor(position), kinds)).toThrow(DomainError);
  });

  it('refuses what is not a cursor at all', () => {
    expect(() => decodeCursor('not-base64-json', ['seq'])).toThrow(DomainError);
    expect(() => decodeCursor(Buffer.from('{"a":1}').toString('base64url'), ['seq'])).toThrow(DomainError);
  });
});
