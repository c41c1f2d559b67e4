import { useCallback, useEffect, useState } from 'react';
import { Can, type Me, useSession } from '../auth/session';
import { ErrorMessage, formatTime } from '../components/form';
import { ReasonGate } from '../components/reason';
import { useT } from '../i18n';
import { Link } from '../router';
import type { Alert, OverdueItem, Page } from '../types';
import { DueAddressChecks } from './address-checks';
import { AlertActions } from './alerts';
import { type Authority, QuickCheckIn } from './check-in';

/** A row per measure and authority (a measure may be overdue at the police and at a UIKS office). */
const rowKey = (item: OverdueItem) => `${item.measureId}:${item.authority ?? 'police'}:${item.office ?? ''}`;

/** A clerk without an office names the UIKS office of a UIKS period; everyone else gets the server's default. */
function uiksChosenBy(me: Me, item: OverdueItem): Authority | undefined {
  if (me.role !== 'registry_clerk' || me.office || item.authority !== 'uiks' || !item.office) return undefined;
  return { authority: 'uiks', office: item.office };
}

/** The officer's (and clerk's) morning: who is overdue and which alerts are open, in the administration. */
export function MorningView() {
  const { t } = useT();
  return (
    <section aria-labelledby="morning-title">
      <h1 id="morning-title">{t('morning')}</h1>
      <ReasonGate caseKey="morning">{(reason) => <MorningLists reason={reason} />}</ReasonGate>
    </section>
  );
}

function MorningLists({ reason }: { reason: string }) {
  const { t, v } = useT();
  const { api, me } = useSession();
  const [overdue, setOverdue] = useState<OverdueItem[] | null>(null);
  const [alerts, setAlerts] = useState<Alert[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<Set<string>>(new Set());
  // The view shows the first hundred of each list; says so when there are more.
  const [more, setMore] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      const [o, a] = await Promise.all([
        api.get<Page<OverdueItem>>('/compliance/overdue', { reason, query: { limit: 100 } }),
        api.get<Page<Alert>>('/alerts', { reason, query: { status: 'open', limit: 100 } }),
      ]);
      setOverdue(o.data.items);
      setAlerts(a.data.items);
      setMore(Boolean(o.data.nextCursor || a.data.nextCursor));
    } catch (failure) {
      setError(failure);
    }
  }, [api, reason]);

  useEffect(() => {
    void load();
  }, [load]);

  // Alerts name only the person's id: the overdue list gives the names it knows; the oldest due date first.
  const names = new Map((overdue ?? []).map((o) => [o.personId, `${o.surname}, ${o.givenNames}`]));
  const sortedAlerts = [...(alerts ?? [])].sort((a, b) => (a.dueDate ?? '').localeCompare(b.dueDate ?? ''));

  return (
    <>
      <ErrorMessage error={error} />
      {more && <p className="hint">{t('firstHundred')}</p>}
      <div className="columns">
        <section aria-labelledby="overdue-title" className="card">
          <h2 id="overdue-title">{t('overdue')}</h2>
          {overdue === null ? (
            <p>{t('loading')}</p>
          ) : overdue.length === 0 ? (
            <p>{t('nothing')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('person')}</th>
                  <th scope="col">{t('dueDate')}</th>
                  <th scope="col">{t('daysOverdue')}</th>
                  <th scope="col">
                    <span className="sr-only">{t('checkIn')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {overdue.map((item) => (
                  <tr key={rowKey(item)} data-testid="overdue-row">
                    <td>
                      <Link to={`/persons/${item.personId}`}>
                        {item.surname}, {item.givenNames}
                      </Link>
                    </td>
                    <td>
                      {item.dueDate}
                      {item.authority === 'uiks' && item.office ? ` · ${item.office}` : ''}
                      {item.authority === 'counselling' ? ` · ${v('counselling')}` : ''}
                    </td>
                    <td>{item.daysOverdue}</td>
                    <td>
                      {/* Counselling is attended at an institution: no check-in makes up for it. */}
                      <Can I="record" a="CheckIn">
                        {item.authority === 'counselling' ? null : done.has(rowKey(item)) ? (
                          <span role="status">{t('checkInDone')}</span>
                        ) : (
                          <QuickCheckIn
                            personId={item.personId}
                            measureId={item.measureId}
                            place={item.authority === 'uiks' && item.office ? item.office : item.policeAdministration}
                            authority={uiksChosenBy(me, item)}
                            reason={reason}
                            onDone={() => setDone((d) => new Set(d).add(rowKey(item)))}
                          />
                        )}
                      </Can>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section aria-labelledby="alerts-title" className="card">
          <h2 id="alerts-title">{t('openAlerts')}</h2>
          {alerts === null ? (
            <p>{t('loading')}</p>
          ) : alerts.length === 0 ? (
            <p>{t('nothing')}</p>
          ) : (
            <ul className="list">
              {sortedAlerts.map((alert) => (
                <li key={alert.id} data-testid="alert-row">
                  <Link to={`/alerts/${alert.id}`}>{v(alert.kind)}</Link> ·{' '}
                  {alert.dueDate ?? formatTime(alert.raisedAt)}
                  {alert.personId && (
                    <>
                      {' '}
                      · <Link to={`/persons/${alert.personId}`}>{names.get(alert.personId) ?? t('person')}</Link>
                    </>
                  )}
                  <AlertActions alert={alert} reason={reason} onChange={() => void load()} />
                </li>
              ))}
            </ul>
          )}
        </section>
        <Can I="read" a="AddressCheck">
          <DueAddressChecks reason={reason} />
        </Can>
      </div>
    </>
  );
}
