import { DomainError } from '../errors/domain-error';
import { Keyset, positional } from './keyset';
import { encodeCursor } from './page';

const ID = '3f2c1a9e-8b7d-4c6e-9f01-23456789abcd';

describe('Keyset', () => {
  const newestFirst = [
    { sql: 'x.at', kind: 'time' as const, desc: true },
    { sql: 'x.id', kind: 'uuid' as const, desc: true },
  ];

  it('pages from the start without a condition, ordered and exact to the microsecond', () => {
    const keyset = new Keyset(newestFirst, { limit: 2 });
    expect(keyset.after()).toBeNull();
    expect(keyset.orderBy()).toBe('x.at DESC, x.id DESC');
    expect(keyset.positions()).toEqual([
      `to_char(x.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS keyset_0`,
      '(x.id)::text AS keyset_1',
    ]);
  });

  it('continues after the cursor with one row comparison when the directions agree', () => {
    const cursor = encodeCursor(['2026-11-28T21:05:07.123456Z', ID]);
    expect(new Keyset(newestFirst, { cursor }).after()).toEqual({
      sql: '(x.at, x.id) < (:keyset_0::timestamptz, :keyset_1::uuid)',
      params: { keyset_0: '2026-11-28T21:05:07.123456Z', keyset_1: ID },
    });
  });

  it('spells out the condition when the directions differ', () => {
    const cursor = encodeCursor([0.5, ID]);
    const keyset = new Keyset(
      [
        { sql: 'max(m.score)', kind: 'number', desc: true, cast: 'real' },
        { sql: 'w.person_id', kind: 'uuid' },
      ],
      { cursor },
    );
    expect(keyset.after()?.sql).toBe(
      '((max(m.score) < :keyset_0::real) OR (max(m.score) = :keyset_0::real AND w.person_id > :keyset_1::uuid))',
    );
  });

  it('refuses a cursor whose values are not of the kinds of the order (400)', () => {
    expect(() => new Keyset(newestFirst, { cursor: encodeCursor(['2026-02-30T00:00:00Z', ID]) })).toThrow(DomainError);
    expect(() => new Keyset(newestFirst, { cursor: encodeCursor([ID]) })).toThrow(DomainError);
  });

  it('builds a page from limit + 1 rows, the cursor from the last row shown', () => {
    const keyset = new Keyset(newestFirst, { limit: 2 });
    const rows = ['c', 'b', 'a'].map((id) => ({
      id,
      keyset_0: `2026-01-0${id.charCodeAt(0) - 96}T00:00:00Z`,
      keyset_1: id,
    }));
    const page = keyset.page(rows, (row) => row.id);
    expect(page.items).toEqual(['c', 'b']);
    expect(JSON.parse(Buffer.from(page.nextCursor as string, 'base64url').toString())).toEqual([
      '2026-01-02T00:00:00Z',
      'b',
    ]);
    expect(keyset.page(rows.slice(0, 2), (row) => row.id).nextCursor).toBeNull();
  });
});

describe('positional', () => {
  it('numbers named parameters after the statement’s own, once per name, leaving casts alone', () => {
    expect(positional({ sql: 'a = :x::date AND b > :y AND c < :x', params: { x: 1, y: 2 } }, 3)).toEqual({
      sql: 'a = $4::date AND b > $5 AND c < $4',
      params: [1, 2],
    });
  });
});
