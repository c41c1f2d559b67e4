import { newIdempotencyKey } from '../api/client';
import { type FormEvent, useState } from 'react';
import { useSession } from '../auth/session';
import { ErrorMessage, Field, Select, today } from '../components/form';
import { type MessageKey, useT } from '../i18n';
import { MEASURE_TYPES, type Person } from '../types';

interface FieldSpec {
  name: string;
  label: MessageKey;
  type?: 'text' | 'date' | 'number';
  options?: [string, string][];
  required?: boolean;
  initial?: string;
  pattern?: string;
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
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setSaved(false);
    try {
      await api.request(method, path, {
        body: toBody(values),
        reason,
        version,
        idempotencyKey: method === 'POST' ? newIdempotencyKey() : undefined,
      });
      setSaved(true);
      onSaved();
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <form className="card grid" onSubmit={submit} data-testid={testId} aria-label={t(title)}>
      <h3>{t(title)}</h3>
      {fields.map((f) =>
        f.options ? (
          <Select
            key={f.name}
            label={t(f.label)}
            value={values[f.name]}
            options={f.options}
            onChange={(e) => setValues((v) => ({ ...v, [f.name]: e.target.value }))}
          />
        ) : (
          <Field
            key={f.name}
            label={t(f.label)}
            type={f.type ?? 'text'}
            required={f.required ?? true}
            pattern={f.pattern}
            value={values[f.name]}
            onChange={(e) => setValues((v) => ({ ...v, [f.name]: e.target.value }))}
          />
        ),
      )}
      <ErrorMessage error={error} />
      {saved && <p role="status">{t('saved')}</p>}
      <div className="actions">
        <button type="submit">{t('save')}</button>
      </div>
    </form>
  );
}

const num = (value: string) => (value.trim() ? Number(value) : undefined);

export function AddressForm({ person, reason, onSaved }: { person: Person; reason: string; onSaved: () => void }) {
  const { t } = useT();
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
        { name: 'policeAdministration', label: 'policeAdministration', initial: 'PU-BEOGRAD' },
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
        { name: 'article', label: 'offence', pattern: '\\d{3}[a-z]?', initial: '180' },
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
        releaseDate: v.releaseDate || undefined,
      })}
    />
  );
}

export function MeasureForm({ person, reason, onSaved }: { person: Person; reason: string; onSaved: () => void }) {
  const { v } = useT();
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
        { name: 'reportTo', label: 'reportTo', required: false, initial: 'PU-BEOGRAD' },
        { name: 'everyDays', label: 'everyDays', type: 'number', required: false, initial: '30' },
      ]}
      toBody={(v) => ({
        type: v.type,
        startsOn: v.startsOn,
        endsOn: v.endsOn,
        ...(v.type === 'periodic_reporting' ? { reportTo: v.reportTo, everyDays: num(v.everyDays) } : {}),
      })}
    />
  );
}

/** Sends a multipart form to `path` with the case's reason: the error to show, and whether it was saved. */
function useUpload(path: string, reason: string, onSaved: () => void) {
  const { api } = useSession();
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const send = async (form: FormData): Promise<void> => {
    setError(null);
    try {
      await api.request('POST', path, { form, reason, idempotencyKey: newIdempotencyKey() });
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
  const { t, v } = useT();
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
      <fieldset>
        <legend>{t('measuresExplained')}</legend>
        {person.measures.map((m) => (
          <label key={m.id}>
            <input
              type="checkbox"
              checked={measureIds.includes(m.id)}
              onChange={(e) => toggle(m.id, e.target.checked)}
            />{' '}
            {v(m.type)} · {m.startsOn} – {m.endsOn}
          </label>
        ))}
      </fieldset>
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
