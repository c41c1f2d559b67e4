import {
  type InputHTMLAttributes,
  type ReactNode,
  type RefObject,
  type SelectHTMLAttributes,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import { ApiError } from '../api/client';
import { type Language, useT } from '../i18n';
import { fieldWords, problemWords, type ProblemWords } from '../problems';

/**
 * How an error summary hands the api's field errors to the fields of its
 * form: an event on each field's box, which the field answers by showing
 * the errors it owns beside it and naming them in `claimed`.
 */
const FIELD_ERRORS = 'register:field-errors';

interface FieldErrorsDetail {
  errors: ProblemWords['errors'];
  language: Language;
  /** The error's field path → the id of the input that shows it. */
  claimed: Map<string, string>;
}

/** A path without its list positions: `offences.0.article` → `offences.article`. */
const withoutPositions = (path: string) =>
  path
    .split('.')
    .filter((part) => !/^\d+$/.test(part))
    .join('.');

/**
 * Whether a field owns an error: by its api name (the whole path, or its
 * end: `months` owns `sentence.months`), or else by its label as the
 * problem words name the path's last part.
 */
function owns(path: string, name: string | undefined, label: string, language: Language): boolean {
  const bare = withoutPositions(path);
  if (name && (bare === name || bare.endsWith(`.${name}`) || path === name)) return true;
  return fieldWords(bare.split('.').pop() ?? bare, language) === label;
}

/**
 * A field's own errors from the api: the message to show beside it, and the
 * props its control takes (aria-invalid, aria-describedby naming the message).
 * The message goes when the value changes (`clear`, for the box's onChange) or the form is sent again.
 */
function useFieldProblem(id: string, label: string, name: string | undefined, hintId: string | undefined) {
  const box = useRef<HTMLElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // Read when an error comes (the label changes with the language; the listener stays).
  const naming = useRef({ label, name });
  naming.current = { label, name };
  // Listening before any summary's effect hands out errors (layout effects run first), even on the first render.
  useLayoutEffect(() => {
    const node = box.current;
    if (!node) return;
    const take = (event: Event) => {
      const { errors, language, claimed } = (event as CustomEvent<FieldErrorsDetail>).detail;
      const { label, name } = naming.current;
      const mine = errors.filter((e) => !claimed.has(e.field) && owns(e.field, name, label, language));
      for (const error of mine) claimed.set(error.field, id);
      setProblem(mine.length ? mine.map((e) => e.message).join('; ') : null);
    };
    const form = node.closest('form');
    const clear = () => setProblem(null);
    node.addEventListener(FIELD_ERRORS, take);
    form?.addEventListener('submit', clear);
    return () => {
      node.removeEventListener(FIELD_ERRORS, take);
      form?.removeEventListener('submit', clear);
    };
  }, [id]);
  const errorId = `${id}-error`;
  const describedBy = [hintId, problem ? errorId : undefined].filter(Boolean).join(' ') || undefined;
  const message = problem && (
    <div id={errorId} className="field-error">
      {problem}
    </div>
  );
  // Given to the box's onChange: React's change events bubble to it from the control, in the same update
  // (a listener of the browser's own would re-render the control before its onChange and undo the typing).
  const clear = () => setProblem(null);
  return { box, problem, describedBy, message, clear };
}

type InputProps = InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  hint?: ReactNode;
  /** The api's name for the value (`destinationCountry`, `sentence.months`): its errors show beside the field. */
  name?: string;
};

/** A labelled input; the hint, and the api's error for it, are announced with it. */
export function Field({ label, hint, name, ...input }: InputProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const field = useFieldProblem(id, label, name, hintId);
  return (
    <div className="field" data-field-box ref={field.box as RefObject<HTMLDivElement>} onChange={field.clear}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        {...input}
        aria-invalid={field.problem ? true : input['aria-invalid']}
        aria-describedby={field.describedBy}
      />
      {field.message}
      {hint && (
        <div id={hintId} className="hint">
          {hint}
        </div>
      )}
    </div>
  );
}

type SelectProps = SelectHTMLAttributes<HTMLSelectElement> & {
  label: string;
  options: [string, string][];
  /** The api's name for the value: its errors show beside the field. */
  name?: string;
};

export function Select({ label, options, name, ...select }: SelectProps) {
  const id = useId();
  const field = useFieldProblem(id, label, name, undefined);
  return (
    <div className="field" data-field-box ref={field.box as RefObject<HTMLDivElement>} onChange={field.clear}>
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        name={name}
        {...select}
        aria-invalid={field.problem ? true : select['aria-invalid']}
        aria-describedby={field.describedBy}
      >
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
      {field.message}
    </div>
  );
}

/**
 * A group of checkboxes (or other choices) under a legend; the api's error
 * for the list they make shows under the legend, and the group takes the
 * focus for it.
 */
export function Choices({
  legend,
  name,
  className,
  children,
}: {
  legend: string;
  /** The api's name for the list (`measureIds`, `fields`). */
  name?: string;
  className?: string;
  children: ReactNode;
}) {
  const id = useId();
  const field = useFieldProblem(id, legend, name, undefined);
  return (
    <fieldset
      id={id}
      tabIndex={-1}
      className={className}
      data-field-box
      ref={field.box as RefObject<HTMLFieldSetElement>}
      aria-describedby={field.describedBy}
      onChange={field.clear}
    >
      <legend>{legend}</legend>
      {field.message}
      {children}
    </fieldset>
  );
}

/**
 * An error from the api (or any other), in the user's language. A field
 * error shows beside its field in the same form (the first such field gets
 * the focus); the summary names those fields as links to them and says in
 * full only the errors no field shows.
 */
export function ErrorMessage({ error }: { error: unknown }) {
  const { language } = useT();
  const box = useRef<HTMLDivElement>(null);
  const [claimed, setClaimed] = useState<Map<string, string>>(new Map());
  const shown = error instanceof ApiError ? problemWords(error.problem, language) : null;
  const focused = useRef<unknown>(null);
  useEffect(() => {
    const node = box.current;
    const scope = node?.closest('form') ?? node?.parentElement;
    if (!scope) return;
    const detail: FieldErrorsDetail = { errors: shown?.errors ?? [], language, claimed: new Map() };
    scope.querySelectorAll('[data-field-box]').forEach((field) => {
      field.dispatchEvent(new CustomEvent(FIELD_ERRORS, { detail }));
    });
    setClaimed(detail.claimed);
    // The first field in error takes the focus, once per error (not again when the language changes).
    const first = shown?.errors.map((e) => detail.claimed.get(e.field)).find(Boolean);
    if (first && focused.current !== error) document.getElementById(first)?.focus();
    focused.current = error;
  }, [error, language]);
  if (!error) return null;
  if (shown) {
    return (
      <div role="alert" className="error" title={(error as ApiError).problem.detail} ref={box}>
        <strong>{shown.title}</strong>
        {shown.detail && <span>: {shown.detail}</span>}
        {shown.errors.length > 0 && (
          <ul>
            {shown.errors.map((e) => {
              const field = claimed.get(e.field);
              return (
                <li key={e.field + e.message} data-field={e.field}>
                  {field ? (
                    <a
                      href={`#${field}`}
                      onClick={(event) => {
                        event.preventDefault();
                        document.getElementById(field)?.focus();
                      }}
                    >
                      {e.label}
                    </a>
                  ) : (
                    `${e.label}: ${e.message}`
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </div>
    );
  }
  return (
    <div role="alert" className="error" ref={box}>
      {String((error as Error).message ?? error)}
    </div>
  );
}

/** A calendar day `days` after `from` (YYYY-MM-DD; negative: before). */
export function addDays(from: string, days: number): string {
  const date = new Date(`${from}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Today's date in Belgrade (YYYY-MM-DD). */
export function today(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Belgrade' }).format(new Date());
}

const BELGRADE = 'Europe/Belgrade';
/** Dates never break across lines: their parts are joined by no-break spaces. */
const NBSP = '\u00a0';
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const CALENDAR_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The parts of an instant on the clock in Belgrade. */
function belgrade(at: Date): { year: number; month: number; day: number; hour: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: BELGRADE,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return { year: part('year'), month: part('month'), day: part('day'), hour: part('hour'), minute: part('minute') };
}

/** A calendar day (`YYYY-MM-DD`, as it stands) or an instant (its day in Belgrade); null when neither. */
function dayOf(value: string): { year: number; month: number; day: number } | null {
  const calendar = CALENDAR_DAY.exec(value);
  if (calendar) return { year: Number(calendar[1]), month: Number(calendar[2]), day: Number(calendar[3]) };
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : belgrade(at);
}

function dayWords({ year, month, day }: { year: number; month: number; day: number }, language: Language): string {
  return language === 'en'
    ? `${day}${NBSP}${MONTHS_EN[month - 1]}${NBSP}${year}`
    : `${day}.${NBSP}${month}.${NBSP}${year}.`;
}

/**
 * A day as the console shows it: `3. 12. 2026.` in Serbian, `3 Dec 2026` in
 * English, with no-break spaces. A calendar day (`YYYY-MM-DD`) is shown as it
 * stands; an instant, as its day in Belgrade. `—` for none.
 */
export function formatDate(value: string | null | undefined, language: Language = 'sr'): string {
  if (!value) return '—';
  const day = dayOf(value);
  return day ? dayWords(day, language) : value;
}

/** An instant as its day and time in Belgrade: `3. 12. 2026. 14:05` (`3 Dec 2026, 14:05`), with no-break spaces. */
export function formatTime(at: string | null | undefined, language: Language = 'sr'): string {
  if (!at) return '—';
  const when = new Date(at);
  if (Number.isNaN(when.getTime())) return at;
  const parts = belgrade(when);
  const clock = `${String(parts.hour).padStart(2, '0')}:${String(parts.minute).padStart(2, '0')}`;
  return `${dayWords(parts, language)}${language === 'en' ? ',' : ''}${NBSP}${clock}`;
}

/**
 * The last day to report by, from the end of a period as the api gives it:
 * an exclusive end (midnight in Belgrade that starts the next day, or that
 * next day itself). `3. 12. 2026.` for a period ending at 4 Dec 00:00.
 */
export function formatDue(exclusiveEnd: string | null | undefined, language: Language = 'sr'): string {
  if (!exclusiveEnd) return '—';
  if (CALENDAR_DAY.test(exclusiveEnd)) return formatDate(addDays(exclusiveEnd, -1), language);
  const end = new Date(exclusiveEnd);
  if (Number.isNaN(end.getTime())) return exclusiveEnd;
  return dayWords(belgrade(new Date(end.getTime() - 1)), language);
}

/** Hands data read from the api to the browser as a file download (the link lives only for the click). */
export function saveDownload(data: Blob, fileName: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(data);
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its copy: the page need not keep the data in memory.
  setTimeout(() => URL.revokeObjectURL(link.href), 0);
}
