import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useSession } from '../auth/session';
import { ErrorMessage, Field } from '../components/form';
import { ReasonGate } from '../components/reason';
import { useT } from '../i18n';
import { Link } from '../router';
import type { Page, ProximityItem } from '../types';

/** Persons under the ban on places with minors who live or work near one, nearest first. */
export function ProximityPage() {
  const { t } = useT();
  return (
    <section aria-labelledby="proximity-title">
      <h1 id="proximity-title">{t('proximity')}</h1>
      <ReasonGate caseKey="proximity">{(reason) => <ProximityList reason={reason} />}</ReasonGate>
    </section>
  );
}

function ProximityList({ reason }: { reason: string }) {
  const { t, v } = useT();
  const { api } = useSession();
  const [metres, setMetres] = useState(300);
  const [draft, setDraft] = useState('300');
  const [items, setItems] = useState<ProximityItem[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(
    async (after?: string | null) => {
      setError(null);
      try {
        const { data } = await api.get<Page<ProximityItem>>('/compliance/proximity', {
          reason,
          query: { metres, limit: 50, cursor: after ?? undefined },
        });
        setItems((list) => (after ? [...(list ?? []), ...data.items] : data.items));
        setCursor(data.nextCursor);
      } catch (failure) {
        setError(failure);
      }
    },
    [api, reason, metres],
  );

  useEffect(() => {
    void load();
  }, [load]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setItems(null);
    setMetres(Number(draft));
  };

  return (
    <>
      <form className="card inline" onSubmit={submit} aria-label={t('proximity')}>
        <Field
          label={t('distanceMetres')}
          type="number"
          min={1}
          // PROXIMITY_MAX_METRES unless configured otherwise: the api names `metres` when it is more.
          max={1000}
          required
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
        />
        <button type="submit">{t('show')}</button>
      </form>
      <ErrorMessage error={error} />
      <div className="card">
        {items === null ? (
          <p>{t('loading')}</p>
        ) : items.length === 0 ? (
          <p>{t('nothing')}</p>
        ) : (
          <table data-testid="proximity">
            <thead>
              <tr>
                <th scope="col">{t('person')}</th>
                <th scope="col">{t('distanceMetres')}</th>
                <th scope="col">{t('location')}</th>
                <th scope="col">{t('nearestPlace')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.personId} data-testid="proximity-row">
                  <td>
                    <Link to={`/persons/${item.personId}`}>
                      {item.surname}, {item.givenNames}
                    </Link>
                  </td>
                  <td>{item.distanceMetres} m</td>
                  <td>{t(item.location.kind === 'workplace' ? 'workplaceLocation' : item.location.kind)}</td>
                  <td>
                    {v(item.place.kind)}: {item.place.name}, {item.place.address}
                    {item.placesWithin > 1 ? ` (+${item.placesWithin - 1})` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {cursor && (
          <button type="button" onClick={() => void load(cursor)}>
            {t('more')}
          </button>
        )}
      </div>
    </>
  );
}
