import { withNul } from './strict-input.interceptor';

describe('withNul', () => {
  it('names every string and property name holding U+0000, by its dotted path', () => {
    expect(
      withNul({
        surname: 'Pe\u0000tar',
        givenNames: 'Petar',
        aliases: ['Pera', '\u0000'],
        details: { address: { street: 'Ulica\u0000 1', city: 'Niš' }, 'x\u0000': 1 },
        heightCm: 180,
        active: true,
        nothing: null,
      }),
    ).toEqual([
      { field: 'surname', message: 'must not contain the character U+0000 (NUL)' },
      { field: 'aliases.1', message: 'must not contain the character U+0000 (NUL)' },
      { field: 'details.address.street', message: 'must not contain the character U+0000 (NUL)' },
      { field: 'details.x\u0000', message: 'is a property name with the character U+0000 (NUL)' },
    ]);
  });

  it('finds nothing in clean input, and stops after five', () => {
    expect(withNul({ q: 'Petrović', limit: '5', list: ['a', 'b'] })).toEqual([]);
    expect(withNul(undefined)).toEqual([]);
    expect(withNul(Buffer.from([0, 0, 0]))).toEqual([]);
    expect(withNul(Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`f${i}`, '\u0000'])))).toHaveLength(5);
  });
});
