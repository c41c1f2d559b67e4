import { parseCsv } from './csv';

describe('parseCsv', () => {
  it('splits plain fields and records, LF or CRLF, skipping blank lines', () => {
    expect(parseCsv('a,b,c\r\n1,2,3\n\n4,,6\n')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', '2', '3'] },
      { line: 4, fields: ['4', '', '6'] },
    ]);
  });

  it('keeps commas, line breaks and doubled quotes inside quoted fields, and counts lines', () => {
    expect(parseCsv('\uFEFFname,address\n"OŠ ""Vuk Karadžić""","Bulevar 1,\nNiš"\nx,"y"')).toEqual([
      { line: 1, fields: ['name', 'address'] },
      { line: 2, fields: ['OŠ "Vuk Karadžić"', 'Bulevar 1,\nNiš'] },
      { line: 4, fields: ['x', 'y'] },
    ]);
  });

  it('keeps an empty quoted field and a last record without a line break', () => {
    expect(parseCsv('a,""\n"",b')).toEqual([
      { line: 1, fields: ['a', ''] },
      { line: 2, fields: ['', 'b'] },
    ]);
  });

  it('refuses a quote left open and text after a closing quote', () => {
    expect(() => parseCsv('a\n"open,b\n')).toThrow('line 2: a quoted field is not closed');
    expect(() => parseCsv('"a"b,c')).toThrow('line 1: text after a closing quote');
  });
});
