import { type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, useId } from 'react';
import { ApiError } from '../api/client';
import { useT } from '../i18n';
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

/** Today's date in Belgrade (YYYY-MM-DD). */
export function today(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Belgrade' }).format(new Date());
}

export function formatTime(at: string | null | undefined): string {
  if (!at) return '—';
  return new Date(at).toLocaleString('sr-Latn-RS', { timeZone: 'Europe/Belgrade' });
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
