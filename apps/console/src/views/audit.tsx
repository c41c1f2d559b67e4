import { type FormEvent, useEffect, useState } from 'react';
import { Can, useSession } from '../auth/session';
import { addDays, ErrorMessage, Field, Select, formatTime, saveDownload, today } from '../components/form';
import { actionChoices, actionWords } from '../audit-actions';
import { type MessageKey, useT } from '../i18n';
import type { AuditEvent, Page, Verification } from '../types';

const OUTCOMES: Record<string, MessageKey> = { allowed: 'allowed', denied: 'denied', error: 'error' };

/** The auditor's desk: search events, the log's integrity, exports. */
export function AuditPage() {
  const { t } = useT();
  return (
    <section>
      <h1>{t('audit')}</h1>
      <div className="columns">
        <Can I="verify" a="AuditEvent">
          <VerifyPanel />
        </Can>
        <Can I="export" a="AuditEvent">
          <ExportPanel />
        </Can>
      </div>
      <EventSearch />
    </section>
  );
}

function VerifyPanel() {
  const { t } = useT();
  const { api } = useSession();
  const [result, setResult] = useState<Verification | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const verify = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult((await api.get<Verification>('/audit/verify')).data);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    void verify();
  }, []);
  return (
    <section className="card" aria-labelledby="verify-title">
      <h2 id="verify-title">{t('verification')}</h2>
      {result && (
        <div role="status" data-testid="verify-status" className={result.ok ? 'result ok' : 'result warn'}>
          <strong>{result.ok ? t('verifyOk') : `${t('verifyBad')}: ${result.problem} (#${result.firstBadSeq})`}</strong>
          <p>
            {t('checkedEvents')}: {result.checkedEvents} · {t('sealedThrough')}: {result.sealedThrough ?? '—'}
          </p>
        </div>
      )}
      <ErrorMessage error={error} />
      <button type="button" onClick={verify} disabled={busy}>
        {busy ? t('loading') : t('verify')}
      </button>
    </section>
  );
}

function ExportPanel() {
  const { t } = useT();
  const { api, me } = useSession();
  const [from, setFrom] = useState(today());
  const [to, setTo] = useState(today());
  const [recipient, setRecipient] = useState(me.organisation);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<number | null>(null);
  const exportLog = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      // `to` is a date: the whole day is wanted, so the day after, as the api takes `to` as the bound.
      const { data } = await api.get<string>('/audit/export', {
        query: { from, to: nextDay(to), recipient },
        as: 'text',
      });
      const lines = data.split('\n').filter(Boolean).length;
      saveDownload(new Blob([data], { type: 'application/x-ndjson' }), `audit-${from}-${to}.jsonl`);
      setDone(lines);
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <form className="card" onSubmit={exportLog} aria-labelledby="export-title">
      <h2 id="export-title">{t('export')}</h2>
      <Field label={t('from')} type="date" required value={from} onChange={(e) => setFrom(e.target.value)} />
      <Field label={t('to')} type="date" required value={to} onChange={(e) => setTo(e.target.value)} />
      <Field label={t('recipient')} required value={recipient} onChange={(e) => setRecipient(e.target.value)} />
      <ErrorMessage error={error} />
      {done !== null && (
        <p role="status" data-testid="export-status">
          {t('exportDone')}: {done}
        </p>
      )}
      <button type="submit">{t('export')}</button>
    </form>
  );
}

const nextDay = (date: string): string => addDays(date, 1);

interface Filters {
  subject: string;
  actorUsername: string;
  outcome: string;
  action: string;
  flagged: string;
  reviewed: string;
  from: string;
  to: string;
}

function EventSearch() {
  const { t, v, language } = useT();
  const { api, ability } = useSession();
  const [filters, setFilters] = useState<Filters>({
    subject: '',
    actorUsername: '',
    outcome: '',
    action: '',
    flagged: '',
    reviewed: '',
    from: '',
    to: '',
  });
  const [events, setEvents] = useState<AuditEvent[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const set = (key: keyof Filters) => (e: { target: { value: string } }) =>
    setFilters((f) => ({ ...f, [key]: e.target.value }));

  const search = async (from?: string | null) => {
    setError(null);
    const subject = filters.subject.trim();
    try {
      const { data } = await api.get<Page<AuditEvent>>('/audit/events', {
        query: {
          subjectJmbg: /^\d{13}$/.test(subject) ? subject : undefined,
          subjectId: subject && !/^\d{13}$/.test(subject) ? subject : undefined,
          actorUsername: filters.actorUsername.trim(),
          outcome: filters.outcome,
          action: filters.action,
          flagged: filters.flagged || undefined,
          reviewed: filters.reviewed || undefined,
          from: filters.from,
          to: filters.to ? nextDay(filters.to) : undefined,
          limit: 50,
          cursor: from ?? undefined,
        },
      });
      setEvents((list) => (from && list ? [...list, ...data.items] : data.items));
      setCursor(data.nextCursor);
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <section className="card" aria-labelledby="events-title">
      <h2 id="events-title">{t('auditEvents')}</h2>
      <form
        className="grid"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          void search();
        }}
      >
        <Field label={`${t('subjectId')} / ${t('subjectJmbg')}`} value={filters.subject} onChange={set('subject')} />
        <Field label={t('actorUsername')} value={filters.actorUsername} onChange={set('actorUsername')} />
        <Select
          label={t('outcome')}
          value={filters.outcome}
          onChange={set('outcome')}
          options={[
            ['', t('any')],
            ['allowed', t('allowed')],
            ['denied', t('denied')],
            ['error', t('error')],
          ]}
        />
        <Select
          label={t('action')}
          value={filters.action}
          onChange={set('action')}
          options={[['', t('any')], ...actionChoices(language)]}
        />
        <Select
          label={t('flaggedEvents')}
          value={filters.flagged}
          onChange={set('flagged')}
          options={[
            ['', t('any')],
            ['true', t('flaggedOnly')],
          ]}
        />
        <Select
          label={t('reviewState')}
          value={filters.reviewed}
          onChange={set('reviewed')}
          options={[
            ['', t('any')],
            ['false', t('notReviewed')],
            ['true', t('reviewedState')],
          ]}
        />
        <Field label={t('from')} type="date" value={filters.from} onChange={set('from')} />
        <Field label={t('to')} type="date" value={filters.to} onChange={set('to')} />
        <div className="actions">
          <button type="submit">{t('search')}</button>
        </div>
      </form>
      <ErrorMessage error={error} />
      {events && (
        <div className="scroll">
          <p className="legend" data-testid="flagged-legend">
            <span className="flag-mark" aria-hidden="true">
              ⚑
            </span>{' '}
            {t('flaggedLegend')}
          </p>
          <table data-testid="audit-events">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('at')}</th>
                <th scope="col">{t('actor')}</th>
                <th scope="col">{t('action')}</th>
                <th scope="col">{t('outcome')}</th>
                <th scope="col">{t('reason')}</th>
                <th scope="col">{t('persons')}</th>
                <th scope="col">{t('reviewState')}</th>
              </tr>
            </thead>
            <tbody>
              {events.length === 0 && (
                <tr>
                  <td colSpan={8}>{t('nothing')}</td>
                </tr>
              )}
              {events.map((e) => (
                <tr key={e.id} className={e.flagged ? 'flagged' : ''} data-testid="audit-event">
                  <td>
                    {e.flagged && (
                      <span className="flag-mark" title={t('flaggedLegend')}>
                        ⚑{' '}
                      </span>
                    )}
                    {e.seq}
                  </td>
                  <td className="nowrap">{formatTime(e.at, language)}</td>
                  <td>
                    {e.actor.username} {e.actor.role ? `(${v(e.actor.role)})` : ''}
                  </td>
                  <td title={e.action}>{actionWords(e.action, language)}</td>
                  <td>
                    {OUTCOMES[e.outcome] ? t(OUTCOMES[e.outcome]) : e.outcome} {e.httpStatus ?? ''}
                  </td>
                  <td>{e.reason ?? '—'}</td>
                  <td className="ids">{e.subjectPersonIds.join(', ')}</td>
                  <td>
                    {e.reviewed ? (
                      t('reviewedState')
                    ) : e.flagged && ability.can('review', 'AuditEvent') ? (
                      <ReviewForm
                        eventId={e.id}
                        onReviewed={() =>
                          setEvents((list) => list && list.map((x) => (x.id === e.id ? { ...x, reviewed: true } : x)))
                        }
                      />
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {cursor && (
            <button type="button" onClick={() => search(cursor)}>
              {t('more')}
            </button>
          )}
        </div>
      )}
    </section>
  );
}

/** Marks a flagged event reviewed, with a note (the review is itself a signed, sealed event). */
function ReviewForm({ eventId, onReviewed }: { eventId: string; onReviewed: () => void }) {
  const { t } = useT();
  const { api } = useSession();
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await api.post(`/audit/events/${eventId}/review`, { note: note.trim() });
      onReviewed();
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <form className="inline" onSubmit={submit}>
      <Field label={t('reviewNote')} required value={note} onChange={(e) => setNote(e.target.value)} />
      <button type="submit">{t('markReviewed')}</button>
      <ErrorMessage error={error} />
    </form>
  );
}
