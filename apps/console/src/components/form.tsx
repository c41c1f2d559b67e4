import { type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, useId } from 'react';
import { ApiError } from '../api/client';
import { type Language, useT } from '../i18n';
import { problemWords } from '../problems';

type InputProps = InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: ReactNode };

/** A labelled input; the hint is announced with it. */
export function Field({ label, hint, ...input }: InputProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-describedby={hint ? `${id}-hint` : undefined} {...input} />
      {hint && (
        <div id={`${id}-hint`} className="hint">
          {hint}
        </div>
      )}
    </div>
  );
}

type SelectProps = SelectHTMLAttributes<HTMLSelectElement> & { label: string; options: [string, string][] };

export function Select({ label, options, ...select }: SelectProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} {...select}>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

/** An error from the api (or any other), in the user's language, with the fields it names by their labels. */
export function ErrorMessage({ error }: { error: unknown }) {
  const { language } = useT();
  if (!error) return null;
  if (error instanceof ApiError) {
    const shown = problemWords(error.problem, language);
    return (
      <div role="alert" className="error" title={error.problem.detail}>
        <strong>{shown.title}</strong>
        {shown.detail && <span>: {shown.detail}</span>}
        {shown.errors.length > 0 && (
          <ul>
            {shown.errors.map((e) => (
              <li key={e.field + e.message} data-field={e.field}>
                {e.label}: {e.message}
              </li>
            ))}
          </ul>
        )}
      </div>
    );
  }
  return (
    <div role="alert" className="error">
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
