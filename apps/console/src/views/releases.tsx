import { type FormEvent, useState } from 'react';
import { addDays, ErrorMessage, Field, formatDate, today } from '../components/form';
import { MoreButton, usePages } from '../components/pages';
import { ReasonGate } from '../components/reason';
import { useT } from '../i18n';
import { Link } from '../router';
import type { ReleaseItem } from '../types';

/** Persons due for release in a span: where they will live, the measures that will bind, whether acknowledged. */
export function ReleasesPage() {
  const { t } = useT();
  return (
    <section aria-labelledby="releases-title">
      <h1 id="releases-title">{t('releases')}</h1>
      <ReasonGate caseKey="releases">{(reason) => <ReleaseList reason={reason} />}</ReasonGate>
    </section>
  );
}

export function AcknowledgedMark({ acknowledged }: { acknowledged: boolean }) {
  const { t } = useT();
  return (
    <span className={`status ${acknowledged ? 'compliant' : 'overdue'}`} data-testid="ack-mark">
      {acknowledged ? `✓ ${t('ackYes')}` : `✗ ${t('ackNo')}`}
    </span>
  );
}

function ReleaseList({ reason }: { reason: string }) {
  const { t, v, language } = useT();
  const [span, setSpan] = useState(() => ({ from: today(), to: addDays(today(), 30) }));
  const [draft, setDraft] = useState(span);
  const pages = usePages<ReleaseItem>('/compliance/releases', span, reason);
  const { items, error } = pages;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSpan({ ...draft });
  };

  return (
    <>
      <form className="card inline" onSubmit={submit} aria-label={t('releaseWindow')}>
        <Field
          label={t('from')}
          type="date"
          required
          value={draft.from}
          onChange={(e) => setDraft((d) => ({ ...d, from: e.target.value }))}
        />
        <Field
          label={t('to')}
          type="date"
          required
          value={draft.to}
          onChange={(e) => setDraft((d) => ({ ...d, to: e.target.value }))}
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
          <table data-testid="releases">
            <thead>
              <tr>
                <th scope="col">{t('person')}</th>
                <th scope="col">{t('releaseOn')}</th>
                <th scope="col">{t('plannedAddress')}</th>
                <th scope="col">{t('measures')}</th>
                <th scope="col">{t('ackState')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => {
                const a = item.plannedAddress;
                return (
                  <tr key={item.convictionId} data-testid="release-row">
                    <td>
                      <Link to={`/persons/${item.personId}`}>
                        {item.surname}, {item.givenNames}
                      </Link>
                    </td>
                    <td>
                      {formatDate(item.releaseOn, language)} ·{' '}
                      {item.released
                        ? `${t('releasedYes')}${item.facility ? ` (${item.facility})` : ''}`
                        : t('releasedNo')}
                    </td>
                    <td>
                      {a
                        ? `${a.street}, ${a.postalCode} ${a.city} (${a.policeAdministration}) · ${t(a.kind === 'temporary' ? 'temporary' : 'permanent')}`
                        : t('notRecorded')}
                    </td>
                    <td>
                      {item.measures.length === 0 ? (
                        '—'
                      ) : (
                        <ul className="plain">
                          {item.measures.map((m) => (
                            <li key={m.id}>
                              {v(m.type)} · {formatDate(m.startsOn, language)} – {formatDate(m.endsOn, language)} ·{' '}
                              <AcknowledgedMark acknowledged={m.acknowledged} />
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                    <td>
                      <AcknowledgedMark acknowledged={item.acknowledged} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        <MoreButton pages={pages} />
      </div>
    </>
  );
}
