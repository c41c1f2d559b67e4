import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { Can, useSession } from '../auth/session';
import { Choices, ErrorMessage, Field, formatDate, formatTime, Select, today } from '../components/form';
import { useSubmission } from '../components/submission';
import { type MessageKey, useT } from '../i18n';
import type { Alert, Page, Referral, Breach } from '../types';

const OUTCOMES = ['charged', 'dismissed', 'convicted'] as const;
type Outcome = (typeof OUTCOMES)[number];
const OUTCOME_WORDS: Record<Outcome, MessageKey> = {
  charged: 'referralCharged',
  dismissed: 'referralDismissed',
  convicted: 'referralConvicted',
};

/**
 * On the person's page: the referrals to the prosecutor, each with an
 * outcome form while it has none, and the form of a new referral (the
 * person's open alerts and breaches as checkboxes, the office, the day).
 */
export function Referrals({ personId, reason, onChange }: { personId: string; reason: string; onChange: () => void }) {
  const { t, language } = useT();
  const { api } = useSession();
  const [referrals, setReferrals] = useState<Referral[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(() => {
    api
      .get<Page<Referral>>(`/persons/${personId}/referrals`, { reason, query: { limit: 100 } })
      .then((answer) => setReferrals(answer.data.items), setError);
  }, [api, personId, reason]);
  useEffect(load, [load]);

  const changed = useCallback(() => {
    load();
    onChange();
  }, [load, onChange]);

  return (
    <section className="card" aria-labelledby="referrals-title">
      <h2 id="referrals-title">{t('referrals')}</h2>
      <ErrorMessage error={error} />
      {referrals === null ? (
        !error && <p>{t('loading')}</p>
      ) : referrals.length === 0 ? (
        <p>{t('nothing')}</p>
      ) : (
        <ul>
          {referrals.map((r) => (
            <li key={r.id} data-testid="referral">
              {formatDate(r.referredOn, language)} · {r.prosecutorOffice} · {t('referralItems')}:{' '}
              {r.alertIds.length + r.breachIds.length} ·{' '}
              {r.voidedAt
                ? t('voided')
                : r.outcome
                  ? `${t(OUTCOME_WORDS[r.outcome])} ${formatDate(r.outcomeOn, language)}${r.caseNumber ? ` (${r.caseNumber})` : ''}`
                  : t('referralPending')}
              {!r.outcome && !r.voidedAt && (
                <OutcomeForm personId={personId} referral={r} reason={reason} onDone={changed} />
              )}
            </li>
          ))}
        </ul>
      )}
      <Can I="record" a="Referral">
        <ReferralForm personId={personId} reason={reason} onDone={changed} />
      </Can>
    </section>
  );
}

/** "Prijava tužilaštvu": the person's alerts not resolved and breaches not voided, to tick, the office and the day. */
export function ReferralForm({ personId, reason, onDone }: { personId: string; reason: string; onDone: () => void }) {
  const { t, v, language } = useT();
  const { api } = useSession();
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [breaches, setBreaches] = useState<Breach[]>([]);
  const [alertIds, setAlertIds] = useState<string[]>([]);
  const [breachIds, setBreachIds] = useState<string[]>([]);
  const [office, setOffice] = useState('');
  const [referredOn, setReferredOn] = useState(today);
  const [error, setError] = useState<unknown>(null);
  const submission = useSubmission();
  const [done, setDone] = useState(false);

  useEffect(() => {
    api
      .get<Page<Alert>>('/alerts', { reason, query: { personId, limit: 100 } })
      .then((answer) => setAlerts(answer.data.items.filter((a) => a.status !== 'resolved')), setError);
    api
      .get<Page<Breach>>(`/persons/${personId}/breaches`, { reason, query: { limit: 100 } })
      .then((answer) => setBreaches(answer.data.items.filter((b) => !b.voidedAt)), setError);
  }, [api, personId, reason]);

  const toggle = (ids: string[], id: string, on: boolean) => (on ? [...ids, id] : ids.filter((x) => x !== id));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setDone(false);
    try {
      const sent = await submission.run((idempotencyKey) =>
        api.post(
          `/persons/${personId}/referrals`,
          { alertIds, breachIds, prosecutorOffice: office, referredOn },
          { reason, idempotencyKey },
        ),
      );
      if (!sent) return;
      setDone(true);
      setAlertIds([]);
      setBreachIds([]);
      onDone();
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <form onSubmit={submit} aria-labelledby="referral-form-title">
      <h3 id="referral-form-title">{t('referralNew')}</h3>
      <Choices className="checks" legend={t('referralAlerts')} name="alertIds">
        {alerts.length === 0 && <p>{t('nothing')}</p>}
        {alerts.map((a) => (
          <label key={a.id}>
            <input
              type="checkbox"
              checked={alertIds.includes(a.id)}
              onChange={(e) => setAlertIds(toggle(alertIds, a.id, e.target.checked))}
            />{' '}
            {v(a.kind)} · {formatDate(a.dueDate, language)} · {v(a.status)}
          </label>
        ))}
      </Choices>
      <Choices className="checks" legend={t('referralBreaches')} name="breachIds">
        {breaches.length === 0 && <p>{t('nothing')}</p>}
        {breaches.map((b) => (
          <label key={b.id}>
            <input
              type="checkbox"
              checked={breachIds.includes(b.id)}
              onChange={(e) => setBreachIds(toggle(breachIds, b.id, e.target.checked))}
            />{' '}
            {formatTime(b.occurredAt, language)} · {b.description}
          </label>
        ))}
      </Choices>
      <Field
        label={t('prosecutorOffice')}
        value={office}
        required
        minLength={3}
        maxLength={200}
        onChange={(e) => setOffice(e.target.value)}
      />
      <Field
        label={t('referredOn')}
        type="date"
        value={referredOn}
        max={today()}
        required
        onChange={(e) => setReferredOn(e.target.value)}
      />
      <button type="submit" disabled={submission.busy || alertIds.length + breachIds.length === 0}>
        {t('referralNew')}
      </button>
      {done && <p role="status">{t('referralDone')}</p>}
      <ErrorMessage error={error} />
    </form>
  );
}

/** The outcome of a referral: charged or convicted with the case number, or dismissed (If-Match: its version). */
function OutcomeForm({
  personId,
  referral,
  reason,
  onDone,
}: {
  personId: string;
  referral: Referral;
  reason: string;
  onDone: () => void;
}) {
  const { t } = useT();
  const { api } = useSession();
  const [outcome, setOutcome] = useState<Outcome>('charged');
  const [outcomeOn, setOutcomeOn] = useState(today);
  const [caseNumber, setCaseNumber] = useState('');
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await api.request('PATCH', `/persons/${personId}/referrals/${referral.id}`, {
        body: { outcome, outcomeOn, ...(outcome === 'dismissed' ? {} : { caseNumber }) },
        reason,
        version: referral.version,
      });
      onDone();
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <form onSubmit={submit} aria-label={t('referralOutcome')}>
      <Select
        label={t('referralOutcome')}
        value={outcome}
        onChange={(e) => setOutcome(e.target.value as Outcome)}
        options={OUTCOMES.map((o) => [o, t(OUTCOME_WORDS[o])])}
      />
      <Field
        label={t('outcomeOn')}
        type="date"
        value={outcomeOn}
        max={today()}
        required
        onChange={(e) => setOutcomeOn(e.target.value)}
      />
      {outcome !== 'dismissed' && (
        <Field
          label={t('caseNumber')}
          value={caseNumber}
          required
          maxLength={100}
          onChange={(e) => setCaseNumber(e.target.value)}
        />
      )}
      <button type="submit">{t('referralRecordOutcome')}</button>
      <ErrorMessage error={error} />
    </form>
  );
}
