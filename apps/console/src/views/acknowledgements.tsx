import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { newIdempotencyKey } from '../api/client';
import { Can, useSession } from '../auth/session';
import { ErrorMessage, Field, saveDownload, today } from '../components/form';
import { useT } from '../i18n';
import type { Acknowledgement, Measure, Page, Person } from '../types';

const FORM_TYPES: Record<string, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' };

/** The measures whose duties can still be explained: those not ended. */
export function bindingMeasures(measures: Measure[]): Measure[] {
  return measures.filter((m) => m.status !== 'ended');
}

/** The person's acknowledgements of their duties: the list (form, void) and, for clerks, a new one. */
export function Acknowledgements({
  person,
  reason,
  onChange,
}: {
  person: Person;
  reason: string;
  onChange: () => void;
}) {
  const { t, v } = useT();
  const { api } = useSession();
  const [items, setItems] = useState<Acknowledgement[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const names = new Map(person.measures.map((m) => [m.id, `${v(m.type)} (${m.startsOn})`]));

  const load = useCallback(async () => {
    try {
      const { data } = await api.get<Page<Acknowledgement>>(`/persons/${person.id}/acknowledgements`, {
        reason,
        query: { limit: 100 },
      });
      setItems(data.items);
    } catch (failure) {
      setError(failure);
    }
  }, [api, person.id, reason]);
  useEffect(() => {
    void load();
  }, [load]);

  const changed = () => {
    void load();
    onChange();
  };
  const download = async (item: Acknowledgement) => {
    setError(null);
    try {
      const { data } = await api.get<Blob>(`/persons/${person.id}/acknowledgements/${item.id}/form`, {
        reason,
        as: 'blob',
      });
      saveDownload(data, `potvrda-${item.explainedOn}.${FORM_TYPES[item.form.contentType] ?? 'bin'}`);
    } catch (failure) {
      setError(failure);
    }
  };
  const voidIt = async (item: Acknowledgement) => {
    setError(null);
    try {
      await api.post(`/persons/${person.id}/acknowledgements/${item.id}/void`, undefined, { reason });
      changed();
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <section className="card" aria-labelledby="ack-title">
      <h2 id="ack-title">{t('acknowledgements')}</h2>
      <ErrorMessage error={error} />
      {items && items.length === 0 && <p>{t('notRecorded')}</p>}
      {items && items.length > 0 && (
        <ul className="list" data-testid="acknowledgements">
          {items.map((item) => (
            <li key={item.id} className={item.voidedAt ? 'voided' : undefined}>
              {item.explainedOn} · {item.explainedBy} · {item.measureIds.map((id) => names.get(id) ?? id).join(', ')}
              {item.voidedAt && <strong> · {t('voided')}</strong>}{' '}
              <button type="button" className="link" onClick={() => void download(item)}>
                {t('signedForm')}
              </button>
              {!item.voidedAt && (
                <Can I="void" a="Acknowledgement">
                  {' '}
                  <button type="button" className="secondary" onClick={() => void voidIt(item)}>
                    {t('voidAck')}
                  </button>
                </Can>
              )}
            </li>
          ))}
        </ul>
      )}
      <Can I="create" a="Acknowledgement">
        <AcknowledgementForm person={person} reason={reason} onSaved={changed} />
      </Can>
    </section>
  );
}

/** A signed acknowledgement: the measures explained (checkboxes), the day, who explained them, the scanned form. */
export function AcknowledgementForm({
  person,
  reason,
  onSaved,
}: {
  person: Person;
  reason: string;
  onSaved: () => void;
}) {
  const { t, v } = useT();
  const { api } = useSession();
  const id = useId();
  const measures = bindingMeasures(person.measures);
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(measures.map((m) => m.id)));
  const [explainedOn, setExplainedOn] = useState(today());
  const [explainedBy, setExplainedBy] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [formKey, setFormKey] = useState(0);
  if (measures.length === 0) return null;

  const toggle = (measureId: string, on: boolean) =>
    setChosen((set) => {
      const next = new Set(set);
      if (on) next.add(measureId);
      else next.delete(measureId);
      return next;
    });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    setError(null);
    if (chosen.size === 0) {
      setError(new Error(t('pickMeasure')));
      return;
    }
    if (!file) return;
    const form = new FormData();
    form.append('measureIds', JSON.stringify([...chosen]));
    form.append('explainedOn', explainedOn);
    form.append('explainedBy', explainedBy);
    form.append('file', file);
    try {
      await api.request('POST', `/persons/${person.id}/acknowledgements`, {
        form,
        reason,
        idempotencyKey: newIdempotencyKey(),
      });
      setSaved(true);
      setFile(null);
      setFormKey((k) => k + 1);
      onSaved();
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <form className="card" onSubmit={submit} data-testid="ack-form" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('recordAck')}</h3>
      <fieldset className="checks">
        <legend>{t('measuresExplained')}</legend>
        {measures.map((m) => (
          <label key={m.id}>
            <input type="checkbox" checked={chosen.has(m.id)} onChange={(e) => toggle(m.id, e.target.checked)} />
            {v(m.type)} ({m.startsOn} – {m.endsOn})
          </label>
        ))}
      </fieldset>
      <Field
        label={t('explainedOn')}
        type="date"
        required
        max={today()}
        value={explainedOn}
        onChange={(e) => setExplainedOn(e.target.value)}
      />
      <Field
        label={t('explainedBy')}
        required
        maxLength={200}
        value={explainedBy}
        onChange={(e) => setExplainedBy(e.target.value)}
      />
      <Field
        key={formKey}
        label={t('ackFile')}
        type="file"
        accept="application/pdf,image/jpeg,image/png"
        required
        onChange={(e) => setFile(e.target.files?.[0] ?? null)}
      />
      <ErrorMessage error={error} />
      {saved && <p role="status">{t('saved')}</p>}
      <button type="submit">{t('save')}</button>
    </form>
  );
}
