import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateBy, type ValidationArguments } from 'class-validator';

/**
 * Text people type and read: names, places, descriptions, notes, reasons.
 * What a reader cannot see must not be in it: control characters (a NUL
 * PostgreSQL cannot store, a bell), format characters (zero-width spaces
 * that make two equal-looking names differ and hide a name from search;
 * bidirectional overrides that show text in another order than it is
 * stored), and values that are only such characters or whitespace.
 */

export interface FreeTextOptions {
  /** Line breaks and tabs allowed (descriptions, notes); otherwise the text is one line. */
  multiline?: boolean;
  /** The value is an array of texts (e.g. aliases), each normalised and checked. */
  each?: boolean;
}

/** Control characters: C0, DEL, C1; and the line and paragraph separators. */
const CONTROL = /[\p{Cc}\u2028\u2029]/u;
/** What a multiline text may contain of them. */
const LINE_BREAK_OR_TAB = /[\n\r\t]/;
/**
 * Format characters (Cf: zero-width space and joiners, bidirectional
 * embeddings, overrides and isolates, soft hyphen, BOM) and the other
 * default-ignorable code points (Hangul fillers, variation selectors): all
 * invisible.
 */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/u;
/** A letter, digit, punctuation or symbol a reader sees (the blank braille pattern is none). */
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;
const BLANK_BRAILLE = '\u2800';

/** U+200B */
export function codePointOf(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Canonical composition (NFC: `c` + combining acute is `ć`), without
 * whitespace around; a text of whitespace only is left as it is, so that
 * the refusal says what is wrong with it (no visible text) rather than
 * that it is empty.
 */
export function normaliseText(text: string): string {
  const composed = text.normalize('NFC');
  return composed.trim() || composed;
}

/**
 * What is wrong with a text as free text (a phrase to follow the field's
 * name), or null when it is acceptable. Expects normalised text.
 */
export function freeTextProblem(text: string, options: Pick<FreeTextOptions, 'multiline'> = {}): string | null {
  let visible = false;
  for (const ch of text) {
    if (CONTROL.test(ch) && !(options.multiline && LINE_BREAK_OR_TAB.test(ch))) {
      return LINE_BREAK_OR_TAB.test(ch) || ch === '\u2028' || ch === '\u2029'
        ? `must be a single line (it contains ${codePointOf(ch)})`
        : `must not contain control characters (it contains ${codePointOf(ch)})`;
    }
    if (INVISIBLE.test(ch)) {
      return `must not contain invisible formatting characters (it contains ${codePointOf(ch)})`;
    }
    if (!visible && ch !== BLANK_BRAILLE && VISIBLE.test(ch)) visible = true;
  }
  return visible ? null : 'must contain visible text';
}

function normalised(value: unknown): unknown {
  if (typeof value === 'string') return normaliseText(value);
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'string' ? normaliseText(item) : item));
  return value;
}

/**
 * A free-text field: normalised (NFC, trimmed) before validation, then
 * refused with a field error naming the character when it holds control
 * or invisible formatting characters or nothing visible. Type, length and
 * emptiness stay the field's own rules (`@IsString()`, `@Length()`).
 */
export function IsFreeText(options: FreeTextOptions = {}): PropertyDecorator {
  const problemOf = (value: unknown): string | null =>
    typeof value === 'string' ? freeTextProblem(value, options) : null;
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => normalised(value)),
    ValidateBy(
      {
        name: 'isFreeText',
        validator: {
          // Empty is the length rule's to refuse, with its own message.
          validate: (value: unknown) => value === '' || problemOf(value) === null,
          defaultMessage: (args?: ValidationArguments) => {
            const values: unknown[] = Array.isArray(args?.value) ? args.value : [args?.value];
            const problem = values.map(problemOf).find((p) => p !== null) ?? 'must be text';
            return `${args?.property ?? 'value'} ${problem}`;
          },
        },
      },
      { each: options.each },
    ),
  );
}
