import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api/client';
import { Can, useSession } from '../auth/session';
import { ErrorMessage, Field, formatDate, formatTime } from '../components/form';
import { MoreButton, usePages } from '../components/pages';
import { ReasonGate } from '../components/reason';
import { useT } from '../i18n';
import { Link } from '../router';
import type { Alert, InboxItem } from '../types';

/** The person an alert or reminder is about, by name, linked to the person's page. */
export function PersonLink({
  personId,
  person,
}: {
  personId: string;
  person?: { surname: string; givenNames: string } | null;
}) {
  const { t } = useT();
  return <Link to={`/persons/${personId}`}>{person ? `${person.surname}, ${person.givenNames}` : t('person')}</Link>;
}

/** Acknowledge an open alert, resolve an acknowledged one (with If-Match). */
export function AlertActions({ alert, reason, onChange }: { alert: Alert; reason: string; onChange: () => void }) {
  const { t } = useT();
  const { api } = useSession();
  const [resolution, setResolution] = useState('');
  const [error, setError] = useState<unknown>(null);
  const act = async (verb: 'acknowledge' | 'resolve') => {
    setError(null);
    try {
      await api.post(`/alerts/${alert.id}/${verb}`, verb === 'resolve' ? { resolution } : {}, {
        reason,
        version: alert.version,
      });
      onChange();
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <Can I="work" a="Alert">
      <div className="inline">
        {alert.status === 'open' && (
          <button type="button" className="secondary" onClick={() => act('acknowledge')}>
            {t('acknowledge')}
          </button>
        )}
        {alert.status === 'acknowledged' && (
          <>
            <Field label={t('resolution')} value={resolution} onChange={(e) => setResolution(e.target.value)} />
            <button type="button" className="secondary" disabled={!resolution.trim()} onClick={() => act('resolve')}>
              {t('resolve')}
            </button>
          </>
        )}
        <ErrorMessage error={error} />
      </div>
    </Can>
  );
}

/** One alert, reached from an e-mail link (`/console/alerts/:id`): the api lists alerts, so it is found in the lists. */
export function AlertPage({ id }: { id: string }) {
  const { t } = useT();
  return (
    <section>
      <h1>{t('alert')}</h1>
      <ReasonGate caseKey={`alert:${id}`}>{(reason) => <AlertDetail id={id} reason={reason} />}</ReasonGate>
    </section>
  );
}

function AlertDetail({ id, reason }: { id: string; reason: string }) {
  const { t, v, language } = useT();
  const { api } = useSession();
  const [alert, setAlert] = useState<Alert | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    try {
      setAlert((await api.get<Alert>(`/alerts/${id}`, { reason })).data);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 404) setAlert(null);
      else setError(failure);
    }
  }, [api, id, reason]);
  useEffect(() => {
    void load();
  }, [load]);
  if (error) return <ErrorMessage error={error} />;
  if (alert === undefined) return <p>{t('loading')}</p>;
  if (alert === null) return <p>{t('notFound')}</p>;
  return (
    <dl className="card facts">
      <dt>{t('kind')}</dt>
      <dd>{v(alert.kind)}</dd>
      <dt>{t('status')}</dt>
      <dd>{v(alert.status)}</dd>
      <dt>{t('dueDate')}</dt>
      <dd>{formatDate(alert.dueDate, language)}</dd>
      <dt>{t('policeAdministration')}</dt>
      <dd>{alert.policeAdministration ?? '—'}</dd>
      <dt>{t('raisedAt')}</dt>
      <dd>{formatTime(alert.raisedAt, language)}</dd>
      {alert.personId && (
        <>
          <dt>{t('person')}</dt>
          <dd>
            <PersonLink personId={alert.personId} person={alert.person} />
          </dd>
        </>
      )}
      <dt>{t('action')}</dt>
      <dd>
        <AlertActions alert={alert} reason={reason} onChange={() => void load()} />
      </dd>
    </dl>
  );
}

/** The reminders about one person of one kind, newest first. */
interface InboxGroup {
  key: string;
  items: InboxItem[];
}

function groupInbox(items: InboxItem[]): InboxGroup[] {
  const groups = new Map<string, InboxItem[]>();
  for (const item of items) {
    const key = `${item.personId}:${item.kind}`;
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return [...groups].map(([key, grouped]) => ({ key, items: grouped }));
}

export function InboxPage() {
  const { t } = useT();
  return (
    <section>
      <h1>{t('inbox')}</h1>
      <ReasonGate caseKey="inbox">{(reason) => <Inbox reason={reason} />}</ReasonGate>
    </section>
  );
}

function Inbox({ reason }: { reason: string }) {
  const { t, v, language } = useT();
  const { api } = useSession();
  const pages = usePages<InboxItem>('/inbox', {}, reason, 100);
  const [error, setError] = useState<unknown>(null);
  const read = async (group: InboxGroup) => {
    setError(null);
    try {
      for (const item of group.items.filter((i) => !i.readAt)) {
        await api.post(`/inbox/${item.id}/read`, undefined, { reason });
      }
    } catch (failure) {
      setError(failure);
    }
    void pages.reload();
  };
  if (pages.error || error) return <ErrorMessage error={pages.error ?? error} />;
  if (!pages.items) return <p>{t('loading')}</p>;
  if (pages.items.length === 0) return <p>{t('nothing')}</p>;
  return (
    <div className="card">
      <ul className="list">
        {groupInbox(pages.items).map((group) => {
          const [latest] = group.items;
          const unread = group.items.filter((i) => !i.readAt).length;
          return (
            <li key={group.key} className={unread ? 'unread' : ''} data-testid="inbox-group">
              {unread > 0 && (
                <span className="badge">
                  {t('unread')}: {unread}
                </span>
              )}{' '}
              <PersonLink personId={latest.personId} person={latest.person} /> · {v(latest.kind)}
              {group.items.length > 1 ? ` (${group.items.length})` : ''}
              {latest.dueDate ? ` · ${t('dueDate')} ${formatDate(latest.dueDate, language)}` : ''} ·{' '}
              {formatTime(latest.createdAt, language)}
              {latest.alertId && (
                <>
                  {' '}
                  · <Link to={`/alerts/${latest.alertId}`}>{t('alert')}</Link>
                </>
              )}
              {unread > 0 && (
                <button type="button" className="secondary" onClick={() => void read(group)}>
                  {t('markRead')}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <MoreButton pages={pages} />
    </div>
  );
}
