import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api/client';
import { Can, useSession } from '../auth/session';
import { ErrorMessage, Field, formatTime } from '../components/form';
import { ReasonGate } from '../components/reason';
import { useT } from '../i18n';
import { Link } from '../router';
import type { Alert, Page } from '../types';

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
  const { t, v } = useT();
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
      <dd>{alert.dueDate ?? '—'}</dd>
      <dt>{t('policeAdministration')}</dt>
      <dd>{alert.policeAdministration ?? '—'}</dd>
      <dt>{t('raisedAt')}</dt>
      <dd>{formatTime(alert.raisedAt)}</dd>
      {alert.personId && (
        <>
          <dt>{t('person')}</dt>
          <dd>
            <Link to={`/persons/${alert.personId}`}>{t('open')}</Link>
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

interface InboxItem {
  id: string;
  alertId: string;
  kind: string;
  createdAt: string;
  readAt: string | null;
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
  const { t, v } = useT();
  const { api } = useSession();
  const [items, setItems] = useState<InboxItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    try {
      setItems((await api.get<Page<InboxItem>>('/inbox', { reason, query: { limit: 100 } })).data.items);
    } catch (failure) {
      setError(failure);
    }
  }, [api, reason]);
  useEffect(() => {
    void load();
  }, [load]);
  const read = async (id: string) => {
    await api.post(`/inbox/${id}/read`, undefined, { reason }).catch(setError);
    void load();
  };
  if (error) return <ErrorMessage error={error} />;
  if (!items) return <p>{t('loading')}</p>;
  if (items.length === 0) return <p>{t('nothing')}</p>;
  return (
    <ul className="list card">
      {items.map((item) => (
        <li key={item.id} className={item.readAt ? '' : 'unread'}>
          {!item.readAt && <span className="badge">{t('unread')}</span>} {v(item.kind)} · {formatTime(item.createdAt)} ·{' '}
          <Link to={`/alerts/${item.alertId}`}>{t('alert')}</Link>
          {!item.readAt && (
            <button type="button" className="secondary" onClick={() => read(item.id)}>
              {t('markRead')}
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
