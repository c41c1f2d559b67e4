import { useCallback, useEffect, useState } from 'react';
import { Can, useSession } from '../auth/session';
import { ErrorMessage, formatDate, saveDownload } from '../components/form';
import { useT } from '../i18n';
import type { Acknowledgement, Page, Person } from '../types';
import { AcknowledgementForm, bindingMeasures } from './part-forms';

const FORM_TYPES: Record<string, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' };

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
  const { t, v, language } = useT();
  const { api } = useSession();
  const [items, setItems] = useState<Acknowledgement[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const names = new Map(person.measures.map((m) => [m.id, `${v(m.type)} (${formatDate(m.startsOn, language)})`]));

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
      <h2 id="ack-title">{t('acknowledgement')}</h2>
      <ErrorMessage error={error} />
      {items && items.length === 0 && <p>{t('notRecorded')}</p>}
      {items && items.length > 0 && (
        <ul className="list" data-testid="acknowledgements">
          {items.map((item) => (
            <li key={item.id} className={item.voidedAt ? 'voided' : undefined}>
              {formatDate(item.explainedOn, language)} · {item.explainedBy} ·{' '}
              {item.measureIds.map((id) => names.get(id) ?? id).join(', ')}
              {item.voidedAt && <strong> · {t('voided')}</strong>}{' '}
              <button type="button" className="link" onClick={() => void download(item)}>
                {t('downloadForm')}
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
        {bindingMeasures(person.measures).length > 0 && (
          <AcknowledgementForm person={person} reason={reason} onSaved={changed} />
        )}
      </Can>
    </section>
  );
}
