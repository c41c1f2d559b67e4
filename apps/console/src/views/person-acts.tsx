import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { Can, useSession } from '../auth/session';
import { ErrorMessage, formatDate, formatTime } from '../components/form';
import { MoreButton, usePages } from '../components/pages';
import { validReason } from '../components/reason';
import { useT } from '../i18n';
import type { CheckIn, Measure, Notification, Breach, Counselling } from '../types';
import { checkInAuthority } from './check-in';

type Voidable = 'CheckIn' | 'Notification' | 'Breach' | 'Counselling';

/** What each of the person's lists of acts is given. */
export interface ActListProps {
  personId: string;
  /** The person's measures, to name the one an act was under. */
  measures: Measure[];
  reason: string;
  /** After a void: the person is read again (a void changes compliance). */
  onVoided?: () => void;
}

/**
 * One of the person's lists of acts, a page at a time; with `voids`, each row
 * standing has a void action for the roles that may void it.
 */
function ActList<T extends { id: string; voidedAt?: string | null }>({
  personId,
  path,
  title,
  testId,
  reason,
  voids,
  onVoided,
  row,
}: ActListProps & {
  path: string;
  title: string;
  testId: string;
  voids?: Voidable;
  row: (item: T) => ReactNode;
}) {
  const { t } = useT();
  const pages = usePages<T>(`/persons/${personId}/${path}`, {}, reason, 20);
  const id = useId();
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{title}</h3>
      <ErrorMessage error={pages.error} />
      {pages.items === null ? (
        !pages.error && <p>{t('loading')}</p>
      ) : pages.items.length === 0 ? (
        <p>{t('nothing')}</p>
      ) : (
        <ul className="plain acts" data-testid={testId}>
          {pages.items.map((item) => (
            <li key={item.id} className={item.voidedAt ? 'voided' : undefined}>
              {row(item)}
              {item.voidedAt && <strong> · {t('voided')}</strong>}
              {voids && !item.voidedAt && (
                <Can I="void" a={voids}>
                  <VoidAction
                    path={`/persons/${personId}/${path}/${item.id}/void`}
                    onVoided={() => {
                      void pages.reload();
                      onVoided?.();
                    }}
                  />
                </Can>
              )}
            </li>
          ))}
        </ul>
      )}
      <MoreButton pages={pages} />
    </section>
  );
}

/**
 * Voiding a record made by mistake: the button asks why (the api keeps the
 * request's access reason as the void reason), the confirmation sends it.
 */
export function VoidAction({ path, onVoided }: { path: string; onVoided: () => void }) {
  const { t } = useT();
  const { api } = useSession();
  const [open, setOpen] = useState(false);
  const [why, setWhy] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const id = useId();
  if (!open) {
    return (
      <>
        {' '}
        <button type="button" className="secondary" onClick={() => setOpen(true)}>
          {t('voidAck')}
        </button>
      </>
    );
  }
  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    if (!validReason(why)) {
      setInvalid(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.post(path, undefined, { reason: why.trim() });
      setOpen(false);
      setWhy('');
      onVoided();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="void inline" onSubmit={confirm}>
      <label htmlFor={`${id}-why`}>{t('voidReason')}</label>
      <input
        id={`${id}-why`}
        value={why}
        autoFocus
        maxLength={200}
        aria-invalid={invalid}
        aria-describedby={invalid ? `${id}-invalid` : undefined}
        onChange={(event) => {
          setWhy(event.target.value);
          setInvalid(false);
        }}
      />
      <button type="submit" disabled={busy}>
        {t('voidConfirm')}
      </button>
      <button type="button" className="secondary" onClick={() => setOpen(false)}>
        {t('cancel')}
      </button>
      {invalid && (
        <p id={`${id}-invalid`} role="alert" className="error">
          {t('reasonInvalid')}
        </p>
      )}
      <ErrorMessage error={error} />
    </form>
  );
}

/** The person's check-ins, newest first, each with where it was made; voided ones marked. */
export function CheckInList(props: ActListProps) {
  const { t, language } = useT();
  return (
    <ActList<CheckIn>
      {...props}
      path="check-ins"
      title={t('checkIns')}
      testId="check-ins"
      voids="CheckIn"
      row={(c) => (
        <span className="act">
          {formatTime(c.occurredAt, language)} · {checkInAuthority(c, props.measures, t('police'))} · {c.place}
        </span>
      )}
    />
  );
}

/** The person's notifications: kind, when, the last day it was on time, and (travel) the trip. */
export function NotificationList(props: ActListProps) {
  const { t, language } = useT();
  return (
    <ActList<Notification>
      {...props}
      path="notifications"
      title={t('notifications')}
      testId="notifications"
      voids="Notification"
      row={(n) => (
        <span className="act">
          {t(n.kind as 'travel_abroad')} · {formatTime(n.notifiedAt, language)} · {t('effectiveOn')}{' '}
          {formatDate(n.effectiveOn, language)} · {t('dueDate')} {formatDate(n.deadline, language)} ·{' '}
          {n.onTime ? t('onTime') : t('late')}
          {n.kind === 'travel_abroad' &&
            ` · ${n.details.destinationCountry ?? ''} ${formatDate(n.details.departOn, language)} – ${formatDate(
              n.details.returnOn,
              language,
            )}`}
          {n.returnedOn && ` · ${t('returnedOn')} ${formatDate(n.returnedOn, language)}`}
        </span>
      )}
    />
  );
}

/** The person's breaches of measures; one recorded by mistake is voided (which resolves its alert). */
export function BreachList(props: ActListProps) {
  const { t, v, language } = useT();
  return (
    <ActList<Breach>
      {...props}
      path="breaches"
      title={t('breaches')}
      testId="breaches"
      voids="Breach"
      row={(b) => (
        <span className="act">
          {formatTime(b.occurredAt, language)} · {v(b.kind)} · {measureName(props.measures, b.measureId, v)} ·{' '}
          {b.description}
        </span>
      )}
    />
  );
}

/** The person's counselling attendance; one recorded by mistake is voided (it no longer counts). */
export function CounsellingList(props: ActListProps) {
  const { t, language } = useT();
  return (
    <ActList<Counselling>
      {...props}
      path="counselling"
      title={t('counsellingSessions')}
      testId="counselling"
      voids="Counselling"
      row={(c) => (
        <span className="act">
          {formatDate(c.attendedOn, language)} · {c.institution}
        </span>
      )}
    />
  );
}

function measureName(measures: Measure[], id: string, v: (code: string) => string): string {
  const measure = measures.find((m) => m.id === id);
  return measure ? v(measure.type) : id;
}
