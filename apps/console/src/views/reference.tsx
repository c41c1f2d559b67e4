import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api/client';
import { useSession } from '../auth/session';
import { ErrorMessage, Field, Select } from '../components/form';
import { ReasonGate } from '../components/reason';
import { type MessageKey, useT } from '../i18n';

/** A column of a reference list, edited as text, as a comma-separated list, or as yes/no. */
interface Column {
  name: string;
  label: MessageKey;
  kind: 'text' | 'list' | 'numbers' | 'flag';
  /** The key: shown, set only when adding. */
  key?: boolean;
  pattern?: string;
}

type Row = Record<string, unknown> & { version: number };
type Values = Record<string, string>;

const show = (column: Column, value: unknown): string =>
  column.kind === 'flag' ? (value ? '✓' : '—') : Array.isArray(value) ? value.join(', ') : String(value ?? '');

const valuesOf = (columns: Column[], row?: Row): Values =>
  Object.fromEntries(
    columns.map((c) => [
      c.name,
      c.kind === 'flag' ? String(row ? Boolean(row[c.name]) : true) : row ? show(c, row[c.name]) : '',
    ]),
  );

function bodyOf(columns: Column[], values: Values, adding: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const c of columns) {
    if (c.key && !adding) continue;
    const value = values[c.name].trim();
    if (c.kind === 'flag') body[c.name] = value === 'true';
    else if (c.kind === 'list' || c.kind === 'numbers') {
      const items = value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
      body[c.name] = c.kind === 'numbers' ? items.map(Number) : items;
    } else body[c.name] = value;
  }
  return body;
}

/** The admins' reference data: UIKS offices and the offences catalogue; every change with a reason and If-Match. */
export function ReferencePage() {
  const { t } = useT();
  return (
    <section aria-labelledby="reference-title">
      <h1 id="reference-title">{t('reference')}</h1>
      <ReasonGate caseKey="reference">
        {(reason) => (
          <>
            <ReferenceList
              title="uiksOffices"
              path="/reference/uiks-offices"
              reason={reason}
              columns={[
                { name: 'code', label: 'code', kind: 'text', key: true, pattern: 'UIKS-[A-Z]+(-[A-Z]+)*' },
                { name: 'name', label: 'name', kind: 'text' },
                { name: 'policeAdministrations', label: 'policeAdministration', kind: 'list' },
                { name: 'active', label: 'activeFlag', kind: 'flag' },
              ]}
            />
            <ReferenceList
              title="offences"
              path="/reference/offences"
              reason={reason}
              columns={[
                { name: 'article', label: 'offence', kind: 'text', key: true, pattern: '\\d{1,3}[a-z]?' },
                { name: 'title', label: 'title', kind: 'text' },
                { name: 'paragraphs', label: 'paragraph', kind: 'numbers' },
                { name: 'juvenileOnly', label: 'juvenileOnly', kind: 'flag' },
              ]}
            />
          </>
        )}
      </ReasonGate>
    </section>
  );
}

function ReferenceList({
  title,
  path,
  columns,
  reason,
}: {
  title: MessageKey;
  path: string;
  columns: Column[];
  reason: string;
}) {
  const { t } = useT();
  const { api } = useSession();
  const [rows, setRows] = useState<Row[] | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const key = columns.find((c) => c.key)!.name;

  const load = useCallback(async () => {
    try {
      setRows((await api.get<{ items: Row[] }>(path)).data.items);
    } catch (failure) {
      setError(failure);
    }
  }, [api, path]);
  useEffect(() => {
    void load();
  }, [load]);

  const save = async (values: Values, row?: Row) => {
    setError(null);
    try {
      if (row) {
        await api.request('PATCH', `${path}/${encodeURIComponent(String(row[key]))}`, {
          body: bodyOf(columns, values, false),
          reason,
          version: row.version,
        });
      } else await api.post(path, bodyOf(columns, values, true), { reason });
      setEditing(null);
      await load();
      return true;
    } catch (failure) {
      setError(failure);
      // A stale version: the current values are shown; the next edit starts from them and their version.
      if (failure instanceof ApiError && failure.status === 412) {
        setEditing(null);
        await load();
      }
      return false;
    }
  };

  return (
    <section className="card" aria-labelledby={`${title}-title`} data-testid={`reference-${title}`}>
      <h2 id={`${title}-title`}>{t(title)}</h2>
      <ErrorMessage error={error} />
      {rows === null ? (
        <p>{t('loading')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.name} scope="col">
                  {t(c.label)}
                </th>
              ))}
              <th scope="col">
                <span className="sr-only">{t('edit')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) =>
              editing === String(row[key]) ? (
                <tr key={String(row[key])}>
                  <td colSpan={columns.length + 1}>
                    <RowForm
                      columns={columns}
                      row={row}
                      onSave={(v) => save(v, row)}
                      onCancel={() => setEditing(null)}
                    />
                  </td>
                </tr>
              ) : (
                <tr key={String(row[key])}>
                  {columns.map((c) => (
                    <td key={c.name}>{show(c, row[c.name])}</td>
                  ))}
                  <td>
                    <button type="button" className="secondary" onClick={() => setEditing(String(row[key]))}>
                      {t('edit')}
                    </button>
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      )}
      <h3>{t('add')}</h3>
      <RowForm columns={columns} onSave={(v) => save(v)} />
    </section>
  );
}

function RowForm({
  columns,
  row,
  onSave,
  onCancel,
}: {
  columns: Column[];
  row?: Row;
  onSave: (values: Values) => Promise<boolean>;
  onCancel?: () => void;
}) {
  const { t } = useT();
  const [values, setValues] = useState<Values>(() => valuesOf(columns, row));
  const set = (name: string) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [name]: e.target.value }));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if ((await onSave(values)) && !row) setValues(valuesOf(columns));
  };
  return (
    <form className="inline" onSubmit={submit}>
      {columns
        .filter((c) => !(c.key && row))
        .map((c) =>
          c.kind === 'flag' ? (
            <Select
              key={c.name}
              label={t(c.label)}
              value={values[c.name]}
              onChange={set(c.name)}
              options={[
                ['true', '✓'],
                ['false', '—'],
              ]}
            />
          ) : (
            <Field
              key={c.name}
              label={t(c.label)}
              required={c.kind !== 'numbers'}
              pattern={c.pattern}
              value={values[c.name]}
              onChange={set(c.name)}
            />
          ),
        )}
      <button type="submit">{t('save')}</button>
      {onCancel && (
        <button type="button" className="secondary" onClick={onCancel}>
          {t('cancel')}
        </button>
      )}
    </form>
  );
}
