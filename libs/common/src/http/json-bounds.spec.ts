import fc from 'fast-check';
import { exceededJsonBound, JSON_BODY_BOUNDS, type JsonBounds, wellFormedText } from './json-bounds';

/** The same bounds measured on the parsed value: the oracle for the one-pass scan of the text. */
function measured(value: unknown): {
  depth: number;
  properties: number;
  items: number;
  text: number;
  name: number;
  values: number;
} {
  const m = { depth: 0, properties: 0, items: 0, text: 0, name: 0, values: 1 };
  const walk = (v: unknown, depth: number): void => {
    if (typeof v === 'string') m.text = Math.max(m.text, v.length);
    if (typeof v !== 'object' || v === null) return;
    m.depth = Math.max(m.depth, depth + 1);
    const entries = Array.isArray(v) ? v.map((item) => ['', item] as const) : Object.entries(v);
    if (Array.isArray(v)) m.items = Math.max(m.items, v.length);
    else m.properties = Math.max(m.properties, entries.length);
    for (const [key, item] of entries) {
      if (!Array.isArray(v)) m.name = Math.max(m.name, key.length);
      m.values += 1;
      walk(item, depth + 1);
    }
  };
  walk(value, 0);
  return m;
}

const within = (value: unknown, b: JsonBounds): boolean => {
  const m = measured(value);
  return (
    m.depth <= b.depth &&
    m.properties <= b.properties &&
    m.items <= b.items &&
    m.text <= b.textLength &&
    m.name <= b.nameLength &&
    m.values <= b.values
  );
};

describe('exceededJsonBound', () => {
  const small: JsonBounds = { depth: 3, properties: 3, items: 3, textLength: 5, nameLength: 4, values: 12 };

  it.each([
    ['{"a":[[[]]]}', 'is nested deeper than 3 levels'],
    ['{"a":1,"b":2,"c":3,"d":4}', 'has an object with more than 3 properties'],
    ['[1,2,3,4]', 'has a list with more than 3 items'],
    ['{"a":"abcdef"}', 'has a text longer than 5 characters'],
    ['["\\u0161\\n\\"x\\\\y"]', 'has a text longer than 5 characters'],
    ['{"abcde":1}', 'has a property name longer than 4 characters'],
    ['[[1],[1],[1],[1]]', 'has a list with more than 3 items'],
    ['{"a":[1,2,3],"b":[1,2,3],"c":[1,2,3]}', 'has more than 12 values'],
  ])('refuses %s: %s', (text, bound) => {
    expect(exceededJsonBound(text, small)).toBe(bound);
  });

  it.each([
    '{"a":[[]]}',
    '{"a":1,"b":2,"c":3}',
    '[1,2,3]',
    '{"a":"abcde"}',
    '["\\u0161\\n\\"x\\\\"]',
    '{"abcd":"a:b,["}',
    '{"a":[1,2,3],"b":[1,2,3],"c":[1]}',
    '  {  }  ',
    '"abcde"',
    'null',
    '{"a":',
    '',
  ])('lets %s through (the parser judges whether it is JSON)', (text) => {
    expect(exceededJsonBound(text, small)).toBeNull();
  });

  it('agrees with the bounds measured on the parsed value, for any JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => {
        const text = JSON.stringify(value);
        expect(exceededJsonBound(text, small) === null).toBe(within(JSON.parse(text), small));
      }),
      { numRuns: 2_000 },
    );
  });

  it('scans any text up to 1 MiB in a few milliseconds (printed, not asserted)', () => {
    const mib = 1024 * 1024;
    const shapes: [string, string][] = [
      ['80,000 keys', `{${Array.from({ length: 80_000 }, (_, i) => `"k${i}":0`).join(',')}}`],
      ['one text of 1 MiB', `"${'x'.repeat(mib - 2)}"`],
      ['escapes', `"${'\\u0161'.repeat(Math.floor(mib / 6) - 1)}"`],
      ['white space', `${' '.repeat(mib - 2)}{}`],
      ['numbers', `${'1'.repeat(mib)}`],
      [
        '50 names of 200, texts of 10,000',
        `{${Array.from({ length: 50 }, (_, i) => `"${String(i).padStart(200, 'k')}":"${'x'.repeat(10_000)}"`).join(',')}}`,
      ],
    ];
    const rows = shapes.map(([label, text]) => {
      const times: number[] = [];
      let answer: string | null = null;
      for (let run = 0; run < 5; run++) {
        const started = process.hrtime.bigint();
        answer = exceededJsonBound(text);
        times.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      return `${label.padEnd(34)} ${String(text.length).padStart(8)} chars: ${Math.min(...times).toFixed(2)}–${Math.max(...times).toFixed(2)} ms (${answer ?? 'within bounds'})`;
    });
    console.log(`exceededJsonBound, 5 runs each:\n${rows.join('\n')}`);
    expect(JSON_BODY_BOUNDS).toEqual({
      depth: 32,
      properties: 50,
      items: 50,
      textLength: 10_000,
      nameLength: 200,
      values: 300,
    });
  });
});

describe('wellFormedText', () => {
  it('refuses a lone surrogate in a text or a property name, and accepts pairs', () => {
    expect(wellFormedText(JSON.parse('{"a":["\\ud800"]}'))).toBe(false);
    expect(wellFormedText(JSON.parse('{"\\udc00":1}'))).toBe(false);
    expect(wellFormedText(JSON.parse('{"a":["\\ud83d\\udca9"]}'))).toBe(true);
  });
});
