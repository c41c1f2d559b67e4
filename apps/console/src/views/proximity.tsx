import { type FormEvent, useState } from 'react';
import { ErrorMessage, Field } from '../components/form';
import { usePages } from '../components/paged';
import { ReasonGate } from '../components/reason';
import { useT } from '../i18n';
import { Link } from '../router';
import type { ProximityItem } from '../types';

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
  const [metres, setMetres] = useState(300);
  const [draft, setDraft] = useState('300');
  const { items, cursor, error, more } = usePages<ProximityItem>('/compliance/proximity', reason, { metres });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setMetres(Number(draft));
  };

  return (
    <>
      <form className="card inline" onSubmit={submit} aria-label={t('proximity')}>
        <Field
          label={t('distanceMetres')}
          type="number"
          min={1}
          max={5000}
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
          <button type="button" onClick={more}>
            {t('more')}
          </button>
        )}
      </div>
    </>
  );
}
