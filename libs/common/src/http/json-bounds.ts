/**
 * What a JSON body may hold: well above any body of the contract (the widest
 * DTO has 11 fields, the longest list 50 items, the longest text 2,000
 * characters, the deepest nesting four levels, the largest body some 160
 * values) and far below what costs the event loop: a body of 80,000 keys
 * took seconds to validate; at these bounds the worst body costs a few
 * milliseconds (test/attacks/body-bounds.e2e-spec.ts prints it).
 */
export interface JsonBounds {
  /** Objects and lists inside one another. */
  depth: number;
  /** Properties of one object. */
  properties: number;
  /** Items of one list. */
  items: number;
  /** Characters of one text value (escapes count as the character they stand for). */
  textLength: number;
  /** Characters of one property name. */
  nameLength: number;
  /** Values in the whole body: the body itself, every property and every item. */
  values: number;
}

export const JSON_BODY_BOUNDS: JsonBounds = {
  depth: 32,
  properties: 50,
  items: 50,
  textLength: 10_000,
  nameLength: 200,
  values: 300,
};

const OBJECT = 1;
const LIST = 2;

/** What the next token is, by what came before it. */
const enum Next {
  /** The body itself, or a property's value (counted with its name). */
  Value,
  /** A property name: counts a property and a value. */
  Name,
  /** A list item: counts an item and a value. */
  Item,
  /** Nothing before a `,`, `:` or a closing bracket (invalid JSON if something comes; the parser says so). */
  Separator,
}

/**
 * The first bound the JSON text exceeds, as the end of a sentence starting
 * "The request body ...", or null. One pass over the text that stops at the
 * first excess, before anything is parsed: a hostile body costs at most one
 * scan of its characters, never the parser's or the validator's work. The
 * text need not be valid JSON (the parser judges that afterwards); the scan
 * only has to count what valid JSON would build.
 */
export function exceededJsonBound(text: string, bounds: JsonBounds = JSON_BODY_BOUNDS): string | null {
  const kinds = new Uint8Array(bounds.depth + 1);
  const counts = new Uint32Array(bounds.depth + 1);
  let depth = 0;
  let values = 0;
  let next = Next.Value;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    // White space, and the separators that say what comes next.
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    if (c === 0x2c) {
      next = depth === 0 ? Next.Separator : kinds[depth - 1] === OBJECT ? Next.Name : Next.Item;
      continue;
    }
    if (c === 0x3a) {
      next = Next.Value;
      continue;
    }
    if (c === 0x7d || c === 0x5d) {
      if (depth > 0) depth--;
      next = Next.Separator;
      continue;
    }
    // A token starts: count what it adds (a property's value was counted with its name).
    if (next === Next.Name || next === Next.Item) {
      const at = depth - 1;
      counts[at]++;
      if (next === Next.Name && counts[at] > bounds.properties) {
        return `has an object with more than ${bounds.properties} properties`;
      }
      if (next === Next.Item && counts[at] > bounds.items) return `has a list with more than ${bounds.items} items`;
      if (++values > bounds.values) return `has more than ${bounds.values} values`;
    } else if (next === Next.Value && depth === 0) {
      values++;
    }
    const isName = next === Next.Name;
    next = Next.Separator;
    if (c === 0x7b || c === 0x5b) {
      if (depth === bounds.depth) return `is nested deeper than ${bounds.depth} levels`;
      kinds[depth] = c === 0x7b ? OBJECT : LIST;
      counts[depth] = 0;
      depth++;
      next = c === 0x7b ? Next.Name : Next.Item;
      // An empty object or list: its closing bracket comes next and counts nothing.
    } else if (c === 0x22) {
      // A text: its characters up to the closing quote, an escape counting as one.
      const limit = isName ? bounds.nameLength : bounds.textLength;
      let characters = 0;
      for (i++; i < length; i++) {
        const s = text.charCodeAt(i);
        if (s === 0x22) break;
        if (s === 0x5c) i += text.charCodeAt(i + 1) === 0x75 ? 5 : 1;
        if (++characters > limit) {
          return isName
            ? `has a property name longer than ${bounds.nameLength} characters`
            : `has a text longer than ${bounds.textLength} characters`;
        }
      }
    } else {
      // A number, true, false or null: skip to its end.
      while (i + 1 < length && !isDelimiter(text.charCodeAt(i + 1))) i++;
    }
  }
  return null;
}

function isDelimiter(c: number): boolean {
  return (
    c === 0x2c ||
    c === 0x3a ||
    c === 0x7d ||
    c === 0x5d ||
    c === 0x7b ||
    c === 0x5b ||
    c === 0x22 ||
    c === 0x20 ||
    c === 0x0a ||
    c === 0x0d ||
    c === 0x09
  );
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * No lone surrogate (`"\ud800"`: valid JSON, not Unicode text) in any text
 * or property name of a parsed body, which is within its bounds: validators
 * that call `encodeURI` throw on one.
 */
export function wellFormedText(value: unknown): boolean {
  if (typeof value === 'string') return !LONE_SURROGATE.test(value);
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) return value.every(wellFormedText);
  return Object.entries(value).every(([key, item]) => !LONE_SURROGATE.test(key) && wellFormedText(item));
}
