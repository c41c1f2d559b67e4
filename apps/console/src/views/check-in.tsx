import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { Can, useSession } from '../auth/session';
import { CountrySelect } from '../components/country-select';
import { ErrorMessage, Field, formatDate, Select, today } from '../components/form';
import { useCodeChoices } from '../components/reference-lists';
import { useSubmission } from '../components/submission';
import { useT } from '../i18n';
import type { CheckIn, Measure, Page, Notification } from '../types';
import { DisclosureForm } from './disclosures';
import { useUiksOffices } from './part-forms';

/** Where a check-in is made: the police, or a UIKS office (sent only when the caller chooses). */
export interface Authority {
  authority: 'police' | 'uiks';
  office?: string;
}

/** Two clicks: "record check-in" opens a prefilled confirmation, "confirm" records it now, in person. */
export function QuickCheckIn({
  personId,
  measureId,
  place,
  authority,
  reason,
  onDone,
}: {
  personId: string;
  measureId: string;
  place: string;
  /** The authority chosen (none: the server's default for the caller). */
  authority?: Authority;
  reason: string;
  onDone: () => void;
}) {
  const { t } = useT();
  const { api } = useSession();
  const [open, setOpen] = useState(false);
  const [where, setWhere] = useState(place);
  const [error, setError] = useState<unknown>(null);
  const [recorded, setRecorded] = useState(false);
  const submission = useSubmission();
  if (!open) {
    return (
      <>
        <button
          type="button"
          onClick={() => {
            setRecorded(false);
            setOpen(true);
          }}
        >
          {t('checkIn')}
        </button>
        {recorded && (
          <span role="status" className="notice">
            {t('checkInDone')}
          </span>
        )}
      </>
    );
  }
  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const answer = await submission.run((idempotencyKey) =>
        api.post(
          `/persons/${personId}/check-ins`,
          { measureId, occurredAt: new Date().toISOString(), place: where, method: 'in_person', ...authority },
          { reason, idempotencyKey },
        ),
      );
      if (!answer) return;
      // Recorded: the form closes and says so; another check-in takes a new click.
      setOpen(false);
      setRecorded(true);
      onDone();
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <form onSubmit={confirm} className="inline">
      <Field label={t('place')} value={where} required onChange={(e) => setWhere(e.target.value)} />
      <button type="submit" autoFocus disabled={submission.busy}>
        {t('confirmCheckIn')}
      </button>
      <button type="button" className="secondary" onClick={() => setOpen(false)}>
        {t('cancel')}
      </button>
      <ErrorMessage error={error} />
    </form>
  );
}

/** A check-in on the person's page: choose the reporting measure (and, where the caller may, the authority). */
export function PersonCheckIn({
  personId,
  measures,
  reason,
  onDone,
}: {
  personId: string;
  measures: Measure[];
  reason: string;
  onDone: () => void;
}) {
  const { t, language } = useT();
  const { me } = useSession();
  const reporting = measures.filter((m) => m.type === 'periodic_reporting' && m.status === 'active');
  const [measureId, setMeasureId] = useState(reporting[0]?.id ?? '');
  const [authority, setAuthority] = useState<'police' | 'uiks'>('police');
  if (reporting.length === 0) return null;
  const measure = reporting.find((m) => m.id === measureId) ?? reporting[0];
  // Only a clerk without an office chooses: an office's clerk reports at the office, an officer to the police.
  const chooses = me.role === 'registry_clerk' && !me.office && Boolean(measure.uiks);
  const chosen: Authority | undefined = chooses
    ? authority === 'uiks' && measure.uiks
      ? { authority: 'uiks', office: measure.uiks.office }
      : { authority: 'police' }
    : undefined;
  return (
    <div className="card">
      <h3>{t('checkIn')}</h3>
      {reporting.length > 1 && (
        <Select
          label={t('measures')}
          value={measureId}
          onChange={(e) => setMeasureId(e.target.value)}
          options={reporting.map((m) => [m.id, `${m.reportTo} · ${formatDate(m.startsOn, language)}`])}
        />
      )}
      {chooses && measure.uiks && (
        <AuthorityChoice
          police={measure.reportTo ?? ''}
          office={measure.uiks.office}
          value={authority}
          onChange={setAuthority}
        />
      )}
      <QuickCheckIn
        key={`${measure.id}:${chosen?.authority ?? ''}`}
        personId={personId}
        measureId={measure.id}
        place={chosen?.office ?? (me.role === 'registry_clerk' ? me.office : null) ?? measure.reportTo ?? ''}
        authority={chosen}
        reason={reason}
        onDone={onDone}
      />
    </div>
  );
}

/** The police administration or the measure's UIKS office (by its name, once the offices are read). */
function AuthorityChoice({
  police,
  office,
  value,
  onChange,
}: {
  police: string;
  office: string;
  value: 'police' | 'uiks';
  onChange: (value: 'police' | 'uiks') => void;
}) {
  const { t } = useT();
  const offices = useUiksOffices();
  const name = offices.find((o) => o.code === office)?.name;
  return (
    <Select
      label={t('authority')}
      value={value}
      onChange={(e) => onChange(e.target.value as 'police' | 'uiks')}
      options={[
        ['police', `${t('police')} (${police})`],
        ['uiks', name ? `${name} (${office})` : office],
      ]}
    />
  );
}

/** Where a check-in was made: the police administration of its measure, or the UIKS office. */
export function checkInAuthority(checkIn: CheckIn, measures: Measure[], police: string): string {
  if (checkIn.authority === 'uiks') return checkIn.office ?? 'UIKS';
  const reportTo = measures.find((m) => m.id === checkIn.measureId)?.reportTo;
  return `${police}${reportTo ? ` (${reportTo})` : ''}`;
}

const YES_NO: [string, string][] = [
  ['false', '—'],
  ['true', '✓'],
];

/** A notification: a change of residence or workplace, or travel abroad. */
export function NotificationForm({
  personId,
  reason,
  onDone,
}: {
  personId: string;
  reason: string;
  onDone: () => void;
}) {
  const { t, language } = useT();
  const { api } = useSession();
  const administrations = useCodeChoices('/reference/police-administrations');
  const [kind, setKind] = useState<'residence_change' | 'workplace_change' | 'travel_abroad'>('travel_abroad');
  const [form, setForm] = useState<Record<string, string>>({ effectiveOn: today(), validFrom: today() });
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<{ deadline: string; onTime: boolean } | null>(null);
  const set = (key: string) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));

  const submission = useSubmission();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setResult(null);
    const details =
      kind === 'travel_abroad'
        ? { destinationCountry: form.destinationCountry, departOn: form.departOn, returnOn: form.returnOn }
        : kind === 'residence_change'
          ? {
              address: {
                kind: form.addressKind ?? 'permanent',
                street: form.street,
                city: form.city,
                postalCode: form.postalCode,
                policeAdministration: form.policeAdministration,
                validFrom: form.effectiveOn,
              },
            }
          : {
              workplace: {
                employer: form.employer,
                address: form.workAddress,
                involvesMinors: form.involvesMinors === 'true',
                publicOffice: form.publicOffice === 'true',
                validFrom: form.effectiveOn,
              },
            };
    try {
      const answer = await submission.run((idempotencyKey) =>
        api.post<{ deadline: string; onTime: boolean }>(
          `/persons/${personId}/notifications`,
          { kind, notifiedAt: new Date().toISOString(), effectiveOn: form.effectiveOn, details },
          { reason, idempotencyKey },
        ),
      );
      if (!answer) return;
      setResult(answer.data);
      // Recorded: the form starts empty again.
      setForm({ effectiveOn: today(), validFrom: today() });
      onDone();
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <form className="card" onSubmit={submit}>
      <h3>{t('notification')}</h3>
      <ErrorMessage error={error} />
      <Select
        label={t('notificationKind')}
        value={kind}
        onChange={(e) => setKind(e.target.value as typeof kind)}
        options={[
          ['travel_abroad', t('travel_abroad')],
          ['residence_change', t('residence_change')],
          ['workplace_change', t('workplace_change')],
        ]}
      />
      <Field
        label={t('effectiveOn')}
        type="date"
        required
        value={form.effectiveOn ?? ''}
        onChange={set('effectiveOn')}
      />
      {kind === 'travel_abroad' && (
        <>
          <CountrySelect
            label={t('destinationCountry')}
            name="destinationCountry"
            value={form.destinationCountry ?? ''}
            onChange={(code) => setForm((f) => ({ ...f, destinationCountry: code }))}
          />
          <Field label={t('departOn')} type="date" required value={form.departOn ?? ''} onChange={set('departOn')} />
          <Field label={t('returnOn')} type="date" required value={form.returnOn ?? ''} onChange={set('returnOn')} />
        </>
      )}
      {kind === 'residence_change' && (
        <>
          <Select
            label={t('addressKind')}
            value={form.addressKind ?? 'permanent'}
            onChange={set('addressKind')}
            options={[
              ['permanent', t('permanent')],
              ['temporary', t('temporary')],
            ]}
          />
          <Field label={t('street')} required value={form.street ?? ''} onChange={set('street')} />
          <Field label={t('city')} required value={form.city ?? ''} onChange={set('city')} />
          <Field
            label={t('postalCode')}
            required
            pattern="\d{5}"
            value={form.postalCode ?? ''}
            onChange={set('postalCode')}
          />
          {administrations.length ? (
            <Select
              label={t('policeAdministration')}
              required
              value={form.policeAdministration ?? ''}
              onChange={set('policeAdministration')}
              options={[['', '—'], ...administrations]}
            />
          ) : (
            <Field
              label={t('policeAdministration')}
              required
              placeholder="PU-BEOGRAD"
              value={form.policeAdministration ?? ''}
              onChange={set('policeAdministration')}
            />
          )}
        </>
      )}
      {kind === 'workplace_change' && (
        <>
          <Field label={t('employer')} required value={form.employer ?? ''} onChange={set('employer')} />
          <Field label={t('workAddress')} required value={form.workAddress ?? ''} onChange={set('workAddress')} />
          <Select
            label={t('involvesMinors')}
            value={form.involvesMinors ?? 'false'}
            onChange={set('involvesMinors')}
            options={YES_NO}
          />
          <Select
            label={t('publicOffice')}
            value={form.publicOffice ?? 'false'}
            onChange={set('publicOffice')}
            options={YES_NO}
          />
        </>
      )}
      {result && (
        <p role="status">
          {t('saved')} {t('dueDate')}: {formatDate(result.deadline, language)} ·{' '}
          {result.onTime ? t('onTime') : t('late')}
        </p>
      )}
      <button type="submit">{t('save')}</button>
    </form>
  );
}

/** Travel notices with no return recorded yet, each with a form to record the return. */
export function TravelReturns({ personId, reason }: { personId: string; reason: string }) {
  const { t, language } = useT();
  const { api } = useSession();
  const [items, setItems] = useState<Notification[] | null>(null);
  const [days, setDays] = useState<Record<string, string>>({});
  const [preparing, setPreparing] = useState<Notification | null>(null);
  const [error, setError] = useState<unknown>(null);
  const submission = useSubmission();
  const load = useCallback(async () => {
    try {
      const { data } = await api.get<Page<Notification>>(`/persons/${personId}/notifications`, {
        reason,
        query: { limit: 50 },
      });
      setItems(data.items.filter((n) => n.kind === 'travel_abroad' && !n.returnedOn && !n.voidedAt));
    } catch (failure) {
      setError(failure);
    }
  }, [api, personId, reason]);
  useEffect(() => {
    void load();
  }, [load]);
  const record = (id: string) => async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const sent = await submission.run((idempotencyKey) =>
        api.post(
          `/persons/${personId}/notifications/${id}/return`,
          { returnedOn: days[id] ?? today() },
          { reason, idempotencyKey },
        ),
      );
      if (sent) await load();
    } catch (failure) {
      setError(failure);
    }
  };
  if (!items || (items.length === 0 && !error)) return null;
  return (
    <section className="card">
      <h3>{t('travelReturns')}</h3>
      <ErrorMessage error={error} />
      <ul className="plain" data-testid="travel-returns">
        {items.map((n) => (
          <li key={n.id}>
            <form onSubmit={record(n.id)}>
              {n.details.destinationCountry} · {formatDate(n.details.departOn, language)} –{' '}
              {formatDate(n.details.returnOn, language)}
              <Field
                label={t('returnedOn')}
                type="date"
                required
                value={days[n.id] ?? today()}
                onChange={(e) => setDays((d) => ({ ...d, [n.id]: e.target.value }))}
              />
              <button type="submit">{t('recordReturn')}</button>
              <Can I="create" a="Disclosure">
                {' '}
                <button type="button" className="secondary" onClick={() => setPreparing(n)}>
                  {t('prepareOutbound')}
                </button>
              </Can>
            </form>
          </li>
        ))}
      </ul>
      {preparing && (
        <DisclosureForm
          key={preparing.id}
          personId={personId}
          reason={reason}
          prepared={{ country: preparing.details.destinationCountry ?? '', travelNoticeId: preparing.id }}
        />
      )}
    </section>
  );
}
