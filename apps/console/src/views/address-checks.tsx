import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useSession } from '../auth/session';
import { ErrorMessage, Field, formatTime, Select } from '../components/form';
import { type MessageKey, useT } from '../i18n';
import { Link } from '../router';
import type { Page, Person, AddressCheckDue } from '../types';

const OUTCOMES = ['confirmed', 'absent', 'moved', 'refused'] as const;
type Outcome = (typeof OUTCOMES)[number];
const OUTCOME_WORDS: Record<Outcome, MessageKey> = {
  confirmed: 'addressCheckConfirmed',
  absent: 'addressCheckAbsent',
  moved: 'addressCheckMoved',
  refused: 'addressCheckRefused',
};

/** The morning's addresses due for a check (not confirmed for 90 days), the oldest first. */
export function DueAddressChecks({ reason }: { reason: string }) {
  const { t, language } = useT();
  const { api } = useSession();
  const [items, setItems] = useState<AddressCheckDue[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api
      .get<Page<AddressCheckDue>>('/compliance/address-checks/due', {
        reason,
        query: { olderThanDays: 90, limit: 100 },
      })
      .then((answer) => setItems(answer.data.items), setError);
  }, [api, reason]);

  return (
    <section aria-labelledby="address-checks-due-title" className="card">
      <h2 id="address-checks-due-title">{t('addressChecksDue')}</h2>
      <ErrorMessage error={error} />
      {items === null ? (
        !error && <p>{t('loading')}</p>
      ) : items.length === 0 ? (
        <p>{t('nothing')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('person')}</th>
              <th scope="col">{t('addresses')}</th>
              <th scope="col">{t('addressCheckDays')}</th>
              <th scope="col">{t('addressCheckLast')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.address.id} data-testid="address-check-due-row">
                <td>
                  <Link to={`/persons/${item.personId}`}>
                    {item.surname}, {item.givenNames}
                  </Link>
                </td>
                <td>
                  {item.address.street}, {item.address.postalCode} {item.address.city} (
                  {item.address.policeAdministration})
                </td>
                <td>{item.daysSinceConfirmed}</td>
                <td>
                  {item.lastCheck
                    ? `${t(OUTCOME_WORDS[item.lastCheck.outcome as Outcome])} · ${formatTime(item.lastCheck.checkedAt, language)}`
                    : t('addressCheckNever')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The current value of a datetime-local input (local time, to the minute). */
function nowLocal(): string {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** On the person's page: record a check of one of the current addresses. */
export function AddressCheckForm({ person, reason, onDone }: { person: Person; reason: string; onDone: () => void }) {
  const { t } = useT();
  const { api } = useSession();
  const addresses = [person.currentAddresses.permanent, person.currentAddresses.temporary].filter(
    (a): a is NonNullable<typeof a> => a !== null,
  );
  const [addressId, setAddressId] = useState(addresses[0]?.id ?? '');
  const [outcome, setOutcome] = useState<Outcome>('confirmed');
  const [checkedAt, setCheckedAt] = useState(nowLocal);
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const submit = useCallback(
    async (event: FormEvent) => {
      event.preventDefault();
      setBusy(true);
      setError(null);
      setDone(null);
      try {
        const answer = await api.post<{ whereaboutsUnknown: string | null; alertId: string | null }>(
          `/persons/${person.id}/address-checks`,
          { addressId, outcome, checkedAt: new Date(checkedAt).toISOString(), note },
          { reason },
        );
        setDone(answer.data.alertId ? t('addressCheckAlert') : t('addressCheckDone'));
        setNote('');
        onDone();
      } catch (failure) {
        setError(failure);
      } finally {
        setBusy(false);
      }
    },
    [api, person.id, addressId, outcome, checkedAt, note, reason, onDone, t],
  );

  if (addresses.length === 0) return null;
  return (
    <form onSubmit={submit} className="card" aria-labelledby="address-check-title">
      <h3 id="address-check-title">{t('recordAddressCheck')}</h3>
      <Select
        label={t('addresses')}
        value={addressId}
        onChange={(e) => setAddressId(e.target.value)}
        options={addresses.map((a) => [a.id, `${t(a.kind)}: ${a.street}, ${a.city} (${a.policeAdministration})`])}
      />
      <Select
        label={t('addressCheckOutcome')}
        value={outcome}
        onChange={(e) => setOutcome(e.target.value as Outcome)}
        options={OUTCOMES.map((o) => [o, t(OUTCOME_WORDS[o])])}
      />
      <Field
        label={t('addressCheckedAt')}
        type="datetime-local"
        value={checkedAt}
        required
        onChange={(e) => setCheckedAt(e.target.value)}
      />
      <Field
        label={t('addressCheckNote')}
        value={note}
        required
        maxLength={1000}
        onChange={(e) => setNote(e.target.value)}
      />
      <button type="submit" disabled={busy}>
        {t('recordAddressCheck')}
      </button>
      {done && <p role="status">{done}</p>}
      <ErrorMessage error={error} />
    </form>
  );
}
