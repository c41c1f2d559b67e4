import { useState } from 'react';
import { Can, type Me, useSession } from '../auth/session';
import { ErrorMessage, formatDate, formatTime } from '../components/form';
import { MoreButton, type Pages, usePages } from '../components/pages';
import { ReasonGate } from '../components/reason';
import { type MessageKey, useT } from '../i18n';
import { Link } from '../router';
import type { Alert, DueItem, OverdueItem } from '../types';
import { DueAddressChecks } from './address-checks';
import { AlertActions, PersonLink } from './alerts';
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
  const { t, v, language } = useT();
  const { me } = useSession();
  const overdue = usePages<OverdueItem>('/compliance/overdue', {}, reason);
  const due = usePages<DueItem>('/compliance/due', {}, reason);
  const open = usePages<Alert>('/alerts', { status: 'open' }, reason);
  const acknowledged = usePages<Alert>('/alerts', { status: 'acknowledged' }, reason);
  const [done, setDone] = useState<Set<string>>(new Set());
  // An alert worked in one list moves to the other: both are read again.
  const alertsChanged = () => void Promise.all([open.reload(), acknowledged.reload()]);

  return (
    <>
      <ErrorMessage error={overdue.error ?? due.error ?? open.error ?? acknowledged.error} />
      <div className="columns">
        <section aria-labelledby="overdue-title" className="card">
          <h2 id="overdue-title">{t('overdue')}</h2>
          {overdue.items === null ? (
            <p>{t('loading')}</p>
          ) : overdue.items.length === 0 ? (
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
                {overdue.items.map((item) => (
                  <tr key={rowKey(item)} data-testid="overdue-row">
                    <td>
                      <Link to={`/persons/${item.personId}`}>
                        {item.surname}, {item.givenNames}
                      </Link>
                    </td>
                    <td>
                      {formatDate(item.dueDate, language)}
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
          <MoreButton pages={overdue} />
        </section>
        <AlertList title="openAlerts" testId="alert-row" pages={open} reason={reason} onChange={alertsChanged} />
        <AlertList
          title="acknowledgedAlerts"
          testId="acknowledged-row"
          pages={acknowledged}
          reason={reason}
          onChange={alertsChanged}
        />
        <section aria-labelledby="due-title" className="card">
          <h2 id="due-title">{t('dueSoon')}</h2>
          {due.items === null ? (
            <p>{t('loading')}</p>
          ) : due.items.filter((item) => !item.checkedIn).length === 0 ? (
            <p>{t('nothing')}</p>
          ) : (
            <ul className="list">
              {due.items
                .filter((item) => !item.checkedIn)
                .map((item) => (
                  <li
                    key={`${item.measureId}:${item.authority}:${item.office ?? ''}:${item.dueDate}`}
                    data-testid="due-row"
                  >
                    <Link to={`/persons/${item.personId}`}>
                      {item.surname}, {item.givenNames}
                    </Link>{' '}
                    · {formatDate(item.dueDate, language)}
                    {item.authority === 'uiks' && item.office ? ` · ${item.office}` : ''}
                    {item.authority === 'counselling' ? ` · ${v('counselling')}` : ''}
                  </li>
                ))}
            </ul>
          )}
          <MoreButton pages={due} />
        </section>
        <Can I="read" a="AddressCheck">
          <DueAddressChecks reason={reason} />
        </Can>
      </div>
    </>
  );
}

/** Alerts of one state, oldest first as the api pages them, each naming its person. */
function AlertList({
  title,
  testId,
  pages,
  reason,
  onChange,
}: {
  title: MessageKey;
  testId: string;
  pages: Pages<Alert>;
  reason: string;
  onChange: () => void;
}) {
  const { t, v, language } = useT();
  return (
    <section aria-labelledby={`${testId}-title`} className="card">
      <h2 id={`${testId}-title`}>{t(title)}</h2>
      {pages.items === null ? (
        <p>{t('loading')}</p>
      ) : pages.items.length === 0 ? (
        <p>{t('nothing')}</p>
      ) : (
        <ul className="list">
          {pages.items.map((alert) => (
            <li key={alert.id} data-testid={testId}>
              <Link to={`/alerts/${alert.id}`}>{v(alert.kind)}</Link> ·{' '}
              {alert.dueDate ? formatDate(alert.dueDate, language) : formatTime(alert.raisedAt, language)}
              {alert.personId && (
                <>
                  {' '}
                  · <PersonLink personId={alert.personId} person={alert.person} />
                </>
              )}
              <AlertActions alert={alert} reason={reason} onChange={onChange} />
            </li>
          ))}
        </ul>
      )}
      <MoreButton pages={pages} />
    </section>
  );
}
