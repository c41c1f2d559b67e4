import { type FormEvent, useState } from 'react';
import { useSession } from '../auth/session';
import { Choices, ErrorMessage, Field, formatDate, Select, today } from '../components/form';
import { useCodeChoices, useReference } from '../components/reference-lists';
import { useSubmission } from '../components/submission';
import { type MessageKey, scheduleKindName, useT, WEEKDAYS } from '../i18n';
import {
  type Conviction,
  type CounsellingInstitution,
  type Measure,
  MEASURE_TYPES,
  type Person,
  SCHEDULE_KINDS,
  type ScheduleInput,
  type ScheduleKind,
  type UiksOffice,
} from '../types';

interface FieldSpec {
  name: string;
  label: MessageKey;
  /** `weekdays`: a checkbox per ISO weekday, the value their numbers joined by commas. */
  type?: 'text' | 'date' | 'number' | 'weekdays';
  options?: [string, string][];
  required?: boolean;
  initial?: string;
  pattern?: string;
  /** Shown (and sent) only when this says so for the values entered. */
  show?: (values: Values) => boolean;
}

type Values = Record<string, string>;

/** A form for one part of a person: fields, then POST or PUT with the case's reason. */
function PartForm({
  title,
  method,
  path,
  fields,
  toBody,
  reason,
  onSaved,
  testId,
  version,
}: {
  title: MessageKey;
  method: 'POST' | 'PUT';
  path: string;
  fields: FieldSpec[];
  toBody: (v: Values) => unknown;
  reason: string;
  onSaved: () => void;
  testId: string;
  /** The version of the part being replaced (a PUT over an existing part needs If-Match). */
  version?: number;
}) {
  const { t } = useT();
  const { api } = useSession();
  const initial = Object.fromEntries(fields.map((f) => [f.name, f.initial ?? f.options?.[0]?.[0] ?? '']));
  const [values, setValues] = useState<Values>(initial);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const submission = useSubmission();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setSaved(false);
    try {
      const answer = await submission.run((idempotencyKey) =>
        api.request(method, path, {
          body: toBody(values),
          reason,
          version,
          idempotencyKey: method === 'POST' ? idempotencyKey : undefined,
        }),
      );
      if (!answer) return;
      setSaved(true);
      // A record made: the form starts empty, so saving again cannot make a second one unnoticed.
      if (method === 'POST') setValues(initial);
      onSaved();
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <form className="card grid" onSubmit={submit} data-testid={testId} aria-label={t(title)}>
      <h3>{t(title)}</h3>
      <ErrorMessage error={error} />
      {fields
        .filter((f) => !f.show || f.show(values))
        .map((f) =>
          f.options ? (
            <Select
              key={f.name}
              name={f.name}
              label={t(f.label)}
              value={values[f.name]}
              options={f.options}
              onChange={(e) => setValues((v) => ({ ...v, [f.name]: e.target.value }))}
            />
          ) : f.type === 'weekdays' ? (
            <WeekdayChoice
              key={f.name}
              name={f.name}
              legend={t(f.label)}
              value={values[f.name]}
              onChange={(value) => setValues((v) => ({ ...v, [f.name]: value }))}
            />
          ) : (
            <Field
              key={f.name}
              name={f.name}
              label={t(f.label)}
              type={f.type ?? 'text'}
              required={f.required ?? true}
              pattern={f.pattern}
              value={values[f.name]}
              onChange={(e) => setValues((v) => ({ ...v, [f.name]: e.target.value }))}
            />
          ),
        )}
      {saved && <p role="status">{t('saved')}</p>}
      <div className="actions">
        <button type="submit" disabled={submission.busy}>
          {t('save')}
        </button>
      </div>
    </form>
  );
}

const num = (value: string) => (value.trim() ? Number(value) : undefined);

export function AddressForm({ person, reason, onSaved }: { person: Person; reason: string; onSaved: () => void }) {
  const { t } = useT();
  const administrations = useCodeChoices('/reference/police-administrations');
  return (
    <PartForm
      title="addresses"
      testId="address-form"
      method="POST"
      path={`/persons/${person.id}/addresses`}
      reason={reason}
      onSaved={onSaved}
      fields={[
        {
          name: 'kind',
          label: 'addressKind',
          options: [
            ['permanent', t('permanent')],
            ['temporary', t('temporary')],
          ],
        },
        { name: 'street', label: 'street' },
        { name: 'city', label: 'city' },
        { name: 'postalCode', label: 'postalCode', pattern: '\\d{5}' },
        {
          name: 'policeAdministration',
          label: 'policeAdministration',
          initial: 'PU-BEOGRAD',
          // Picked by name once the list is read; typed as a code until then.
          options: administrations.length ? administrations : undefined,
        },
        { name: 'validFrom', label: 'validFrom', type: 'date', initial: today() },
      ]}
      toBody={(v) => v}
    />
  );
}

export function DescriptionForm({ person, reason, onSaved }: { person: Person; reason: string; onSaved: () => void }) {
  const d = person.physicalDescription;
  return (
    <PartForm
      title="description"
      testId="description-form"
      method="PUT"
      path={`/persons/${person.id}/physical-description`}
      version={d?.version}
      reason={reason}
      onSaved={onSaved}
      fields={[
        { name: 'heightCm', label: 'heightCm', type: 'number', initial: d ? String(d.heightCm) : '' },
        { name: 'weightKg', label: 'weightKg', type: 'number', required: false, initial: d?.weightKg?.toString() },
        { name: 'eyeColour', label: 'eyeColour', initial: d?.eyeColour },
        { name: 'hairColour', label: 'hairColour', initial: d?.hairColour },
        { name: 'build', label: 'build', required: false, initial: d?.build ?? '' },
        {
          name: 'marks',
          label: 'marks',
          required: false,
          initial: d?.distinguishingMarks.map((m) => `${m.bodyPart}: ${m.description}`).join('; '),
        },
      ]}
      toBody={(v) => ({
        heightCm: num(v.heightCm),
        weightKg: num(v.weightKg),
        eyeColour: v.eyeColour,
        hairColour: v.hairColour,
        build: v.build.trim() || undefined,
        distinguishingMarks: v.marks
          .split(/[;\n]/)
          .map((line) => line.trim())
          .filter(Boolean)
          .map((line) => {
            const [bodyPart, ...rest] = line.split(':');
            return { bodyPart: bodyPart.trim(), description: rest.join(':').trim() || bodyPart.trim() };
          }),
      })}
    />
  );
}

export function DnaForm({ person, reason, onSaved }: { person: Person; reason: string; onSaved: () => void }) {
  return (
    <PartForm
      title="dna"
      testId="dna-form"
      method="PUT"
      path={`/persons/${person.id}/dna-reference`}
      version={person.dnaReference?.version}
      reason={reason}
      onSaved={onSaved}
      fields={[
        { name: 'laboratory', label: 'laboratory' },
        { name: 'sampleId', label: 'sampleId' },
        { name: 'profileReference', label: 'profileReference' },
        { name: 'collectedOn', label: 'collectedOn', type: 'date' },
      ]}
      toBody={(v) => v}
    />
  );
}

export function ConvictionForm({ person, reason, onSaved }: { person: Person; reason: string; onSaved: () => void }) {
  const { t, v } = useT();
  const offences = useReference<{ article: string; title: string; juvenileOnly?: boolean }>('/reference/offences');
  return (
    <PartForm
      title="convictions"
      testId="conviction-form"
      method="POST"
      path={`/persons/${person.id}/convictions`}
      reason={reason}
      onSaved={onSaved}
      fields={[
        { name: 'court', label: 'court' },
        { name: 'caseNumber', label: 'caseNumber' },
        { name: 'judgmentDate', label: 'judgmentDate', type: 'date' },
        { name: 'finalityDate', label: 'finalityDate', type: 'date' },
        {
          name: 'article',
          label: 'offence',
          pattern: '\\d{3}[a-z]?',
          initial: '180',
          // The catalogue's offences when read; typed by article otherwise.
          options: offences.length
            ? offences.map((o): [string, string] => [
                o.article,
                `${t('articleShort')} ${o.article} – ${o.title}${o.juvenileOnly ? ` (${t('juvenileOnly').toLowerCase()})` : ''}`,
              ])
            : undefined,
        },
        { name: 'paragraph', label: 'paragraph', type: 'number', required: false },
        {
          name: 'victimAge',
          label: 'victimAge',
          options: [
            ['child', t('child')],
            ['minor', t('minor')],
          ],
        },
        {
          name: 'sentenceKind',
          label: 'sentenceKind',
          options: ['imprisonment', 'house_arrest', 'fine', 'community_service', 'suspended'].map((k) => [
            k,
            k === 'suspended' ? t('suspendedSentence') : v(k),
          ]),
        },
        { name: 'months', label: 'sentenceMonths', type: 'number', required: false },
        { name: 'custodyFrom', label: 'custodyFrom', type: 'date', required: false },
        { name: 'releaseDate', label: 'releaseDate', type: 'date', required: false },
      ]}
      toBody={(v) => ({
        court: v.court,
        caseNumber: v.caseNumber,
        judgmentDate: v.judgmentDate,
        finalityDate: v.finalityDate,
        offences: [{ article: v.article, paragraph: num(v.paragraph) }],
        victimAge: v.victimAge,
        sentence: { kind: v.sentenceKind, months: num(v.months) },
        custodyFrom: v.custodyFrom || undefined,
        releaseDate: v.releaseDate || undefined,
      })}
    />
  );
}

/** Whose schedule a form's fields describe: none for the police, `uiks` for the UIKS office, or counselling. */
type SchedulePrefix = '' | 'uiks' | 'counselling';

/** A schedule field's name (and label): `everyDays` for the police, `uiksEveryDays` for the UIKS office. */
const scheduleField = (prefix: SchedulePrefix, name: 'scheduleKind' | 'everyDays' | 'weekdays'): MessageKey =>
  prefix ? (`${prefix}${name[0].toUpperCase()}${name.slice(1)}` as MessageKey) : name;

/** The schedule fields: the kind, the days only for every_days, the weekdays only for weekdays. */
function scheduleFields(
  prefix: SchedulePrefix,
  kinds: [string, string][],
  shown: (values: Values) => boolean,
): FieldSpec[] {
  const kind = scheduleField(prefix, 'scheduleKind');
  const when = (k: ScheduleKind) => (values: Values) => shown(values) && values[kind] === k;
  const everyDays = scheduleField(prefix, 'everyDays');
  const weekdays = scheduleField(prefix, 'weekdays');
  return [
    { name: kind, label: kind, options: kinds, show: shown },
    { name: everyDays, label: everyDays, type: 'number', initial: '30', show: when('every_days') },
    { name: weekdays, label: weekdays, type: 'weekdays', initial: '1', show: when('weekdays') },
  ];
}

/** The schedule a form's fields describe (`prefix`: none for the police, `uiks` for the UIKS office, counselling). */
export function scheduleOf(v: Values, prefix: SchedulePrefix = ''): ScheduleInput {
  const field = (name: 'scheduleKind' | 'everyDays' | 'weekdays') => v[scheduleField(prefix, name)] ?? '';
  const kind = field('scheduleKind') as ScheduleKind;
  if (kind === 'every_days') return { kind, everyDays: num(field('everyDays')) };
  if (kind === 'weekdays') {
    return { kind, weekdays: field('weekdays').split(',').filter(Boolean).map(Number) };
  }
  return { kind };
}

/** One checkbox per ISO weekday; the value is the chosen numbers joined by commas ("1,4"). */
function WeekdayChoice({
  legend,
  name,
  value,
  onChange,
}: {
  legend: string;
  /** The field's name: the api's errors for it (`schedule.weekdays`) show under the legend. */
  name: string;
  value: string;
  onChange: (value: string) => void;
}) {
  const { language } = useT();
  const chosen = new Set(value.split(',').filter(Boolean).map(Number));
  const toggle = (day: number, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(day);
    else next.delete(day);
    onChange(
      [...next]
        .sort((a, b) => a - b)
        .map(String)
        .join(','),
    );
  };
  return (
    <Choices className="checks" legend={legend} name={name}>
      {WEEKDAYS[language].map((day, i) => (
        <label key={day.name}>
          <input type="checkbox" checked={chosen.has(i + 1)} onChange={(e) => toggle(i + 1, e.target.checked)} />
          {day.name}
        </label>
      ))}
    </Choices>
  );
}

/** The active UIKS offices, for choosing one. */
export function useUiksOffices(): UiksOffice[] {
  return useReference<UiksOffice>('/reference/uiks-offices').filter((o) => o.active);
}

/** The active counselling institutions, for choosing one. */
export function useCounsellingInstitutions(): CounsellingInstitution[] {
  return useReference<CounsellingInstitution>('/reference/counselling-institutions').filter((i) => i.active);
}

export function MeasureForm({ person, reason, onSaved }: { person: Person; reason: string; onSaved: () => void }) {
  const { t, v, language } = useT();
  const offices = useUiksOffices();
  const institutions = useCounsellingInstitutions();
  const administrations = useCodeChoices('/reference/police-administrations');
  const reporting = (values: Record<string, string>) => values.type === 'periodic_reporting';
  const counselling = (values: Record<string, string>) => values.type === 'counselling';
  const withUiks = (values: Record<string, string>) => reporting(values) && Boolean(values.uiksOffice);
  // Monthly first: the console's default schedule.
  const kinds: [string, string][] = SCHEDULE_KINDS.map((k) => [k, scheduleKindName(k, language)]);
  return (
    <PartForm
      title="measures"
      testId="measure-form"
      method="POST"
      path={`/persons/${person.id}/measures`}
      reason={reason}
      onSaved={onSaved}
      fields={[
        { name: 'type', label: 'measureType', options: MEASURE_TYPES.map((m) => [m, v(m)]) },
        { name: 'startsOn', label: 'startsOn', type: 'date', initial: today() },
        { name: 'endsOn', label: 'endsOn', type: 'date' },
        {
          name: 'reportTo',
          label: 'reportTo',
          initial: 'PU-BEOGRAD',
          options: administrations.length ? administrations : undefined,
          show: reporting,
        },
        ...scheduleFields('', kinds, reporting),
        {
          name: 'uiksOffice',
          label: 'uiksOffice',
          options: [['', t('noUiks')], ...offices.map((o): [string, string] => [o.code, `${o.name} (${o.code})`])],
          show: reporting,
        },
        ...scheduleFields('uiks', kinds, withUiks),
        {
          name: 'counsellingInstitution',
          label: 'counsellingInstitution',
          options: institutions.map((i): [string, string] => [i.code, `${i.name} (${i.code})`]),
          show: counselling,
        },
        ...scheduleFields('counselling', kinds, counselling),
      ]}
      toBody={(values) => ({
        type: values.type,
        startsOn: values.startsOn,
        endsOn: values.endsOn,
        ...(reporting(values)
          ? {
              reportTo: values.reportTo,
              schedule: scheduleOf(values),
              ...(values.uiksOffice
                ? { uiks: { office: values.uiksOffice, schedule: scheduleOf(values, 'uiks') } }
                : {}),
            }
          : {}),
        ...(counselling(values)
          ? {
              counselling: {
                institution: values.counsellingInstitution || institutions[0]?.code,
                schedule: scheduleOf(values, 'counselling'),
              },
            }
          : {}),
      })}
    />
  );
}

/** The actual release from an imprisonment (If-Match: the conviction's version); a second one corrects it. */
export function ReleaseForm({
  person,
  conviction,
  reason,
  onSaved,
}: {
  person: Person;
  conviction: Conviction;
  reason: string;
  onSaved: () => void;
}) {
  return (
    <PartForm
      key={conviction.version}
      title="recordRelease"
      testId="release-form"
      method="POST"
      path={`/persons/${person.id}/releases`}
      version={conviction.version}
      reason={reason}
      onSaved={onSaved}
      fields={[
        { name: 'releasedOn', label: 'releasedOn', type: 'date', initial: conviction.releasedOn ?? today() },
        { name: 'facility', label: 'facility', initial: conviction.releaseFacility ?? '' },
      ]}
      toBody={(values) => ({ convictionId: conviction.id, releasedOn: values.releasedOn, facility: values.facility })}
    />
  );
}

/** Sends a multipart form to `path` with the case's reason: the error to show, and whether it was saved. */
function useUpload(path: string, reason: string, onSaved: () => void) {
  const { api } = useSession();
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const submission = useSubmission();
  const send = async (form: FormData): Promise<void> => {
    setError(null);
    try {
      const answer = await submission.run((idempotencyKey) =>
        api.request('POST', path, { form, reason, idempotencyKey }),
      );
      if (!answer) return;
      setSaved(true);
      onSaved();
    } catch (failure) {
      setError(failure);
    }
  };
  return { error, saved, setSaved, send };
}

/** Photo upload with a preview (a data: URL: the page's policy allows no blob: images). */
export function PhotoForm({ person, reason, onSaved }: { person: Person; reason: string; onSaved: () => void }) {
  const { t } = useT();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const { error, saved, setSaved, send } = useUpload(`/persons/${person.id}/photos`, reason, onSaved);
  const choose = (chosen: File | null) => {
    setFile(chosen);
    setSaved(false);
    setPreview(null);
    if (!chosen) return;
    const reader = new FileReader();
    reader.onload = () => setPreview(String(reader.result));
    reader.readAsDataURL(chosen);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    const form = new FormData();
    form.append('file', file);
    await send(form);
  };
  return (
    <form className="card" onSubmit={submit} data-testid="photo-form" aria-label={t('photos')}>
      <h3>{t('photos')}</h3>
      <Field
        label={t('photoFile')}
        type="file"
        accept="image/jpeg,image/png"
        required
        onChange={(e) => choose(e.target.files?.[0] ?? null)}
      />
      {preview && <img className="photo" src={preview} alt={t('preview')} data-testid="photo-preview" />}
      <ErrorMessage error={error} />
      {saved && <p role="status">{t('saved')}</p>}
      <button type="submit" disabled={!file}>
        {t('upload')}
      </button>
    </form>
  );
}

/** The measures whose duties can still be explained: those not ended. */
export function bindingMeasures(measures: Measure[]): Measure[] {
  return measures.filter((m) => m.status !== 'ended');
}

/** Duties acknowledged: the measures explained, the day, who explained them, and the scanned signed form. */
export function AcknowledgementForm({
  person,
  reason,
  onSaved,
}: {
  person: Person;
  reason: string;
  onSaved: () => void;
}) {
  const { t, v, language } = useT();
  const [measureIds, setMeasureIds] = useState<string[]>([]);
  const [explainedOn, setExplainedOn] = useState(today());
  const [explainedBy, setExplainedBy] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const { error, saved, setSaved, send } = useUpload(`/persons/${person.id}/acknowledgements`, reason, () => {
    setMeasureIds([]);
    onSaved();
  });
  const toggle = (id: string, on: boolean) => {
    setSaved(false);
    setMeasureIds((ids) => (on ? [...ids, id] : ids.filter((x) => x !== id)));
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file || measureIds.length === 0) return;
    const form = new FormData();
    form.append('measureIds', JSON.stringify(measureIds));
    form.append('explainedOn', explainedOn);
    form.append('explainedBy', explainedBy);
    form.append('file', file);
    await send(form);
  };
  return (
    <form className="card" onSubmit={submit} data-testid="acknowledgement-form" aria-label={t('acknowledgement')}>
      <h3>{t('acknowledgement')}</h3>
      <Choices legend={t('measuresExplained')} name="measureIds">
        {bindingMeasures(person.measures).map((m) => (
          <label key={m.id}>
            <input
              type="checkbox"
              checked={measureIds.includes(m.id)}
              onChange={(e) => toggle(m.id, e.target.checked)}
            />{' '}
            {v(m.type)} · {formatDate(m.startsOn, language)} – {formatDate(m.endsOn, language)}
          </label>
        ))}
      </Choices>
      <Field
        label={t('explainedOn')}
        type="date"
        required
        max={today()}
        value={explainedOn}
        onChange={(e) => setExplainedOn(e.target.value)}
      />
      <Field
        label={t('explainedBy')}
        required
        maxLength={200}
        value={explainedBy}
        onChange={(e) => setExplainedBy(e.target.value)}
      />
      <Field
        label={t('signedForm')}
        type="file"
        accept="application/pdf,image/jpeg,image/png"
        required
        onChange={(e) => setFile(e.target.files?.[0] ?? null)}
      />
      <ErrorMessage error={error} />
      {saved && <p role="status">{t('saved')}</p>}
      <button type="submit" disabled={!file || measureIds.length === 0}>
        {t('upload')}
      </button>
    </form>
  );
}
