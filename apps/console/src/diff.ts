import { formatDate, formatTime } from './components/form';
import type { Language } from './i18n';

/** One field of a conflict: what the form started from, what the user typed, what the register holds now. */
export interface FieldDiff {
  field: string;
  base: unknown;
  mine: unknown;
  theirs: unknown;
  /** Someone else changed it since the form was opened. */
  changedByOthers: boolean;
  /** The user changed it in the form. */
  changedByMe: boolean;
}

/** Two values alike as JSON (absent and null alike). */
export const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The fields that differ between the version edited (`base`), the user's edit (`mine`) and the current one. */
export function diffVersions(
  base: Record<string, unknown>,
  mine: Record<string, unknown>,
  theirs: Record<string, unknown>,
  fields: string[] = Object.keys(mine),
): FieldDiff[] {
  return fields
    .map((field) => ({
      field,
      base: base[field],
      mine: mine[field],
      theirs: theirs[field],
      changedByOthers: !same(base[field], theirs[field]),
      changedByMe: !same(base[field], mine[field]),
    }))
    .filter((d) => d.changedByOthers || d.changedByMe);
}

/** What to send after a conflict: the current version, with only the fields this user changed put over it. */
export function mergeMine<T extends object>(theirs: T, diffs: FieldDiff[]): T {
  return { ...theirs, ...Object.fromEntries(diffs.filter((d) => d.changedByMe).map((d) => [d.field, d.mine])) };
}

const CALENDAR_DAY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** A field's value as shown: dates and instants in the console's one format, objects as JSON. */
export function show(value: unknown, language: Language = 'sr'): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  const text = String(value);
  if (CALENDAR_DAY.test(text)) return formatDate(text, language);
  if (INSTANT.test(text)) return formatTime(text, language);
  return text;
}
