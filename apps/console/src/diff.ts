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

export function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
