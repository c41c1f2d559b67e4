import { type FormEvent, type ReactNode, useState } from 'react';
import { CountrySelect } from '../components/country-select';
import { Field, Select } from '../components/form';
import { type MessageKey, useT } from '../i18n';
import { checkJmbg } from '../jmbg';

export interface PersonalData {
  surname: string;
  givenNames: string;
  parentNames: string;
  jmbg: string;
  dateOfBirth: string;
  placeOfBirth: string;
  sex: 'M' | 'F';
  citizenship: string;
  aliases: string;
  idType: string;
  idNumber: string;
  idCountry: string;
}

export const EMPTY_PERSONAL: PersonalData = {
  surname: '',
  givenNames: '',
  parentNames: '',
  jmbg: '',
  dateOfBirth: '',
  placeOfBirth: '',
  sex: 'M',
  citizenship: 'RS',
  aliases: '',
  idType: 'passport',
  idNumber: '',
  idCountry: '',
};

/** The body the api takes (`null` clears an optional field on a correction). */
export function personalBody(d: PersonalData, forPatch = false): Record<string, unknown> {
  const optional = (value: string) => (value.trim() ? value.trim() : forPatch ? null : undefined);
  const rs = d.citizenship === 'RS';
  return {
    surname: d.surname.trim(),
    givenNames: d.givenNames.trim(),
    parentNames: optional(d.parentNames),
    jmbg: rs ? d.jmbg : optional(d.jmbg),
    identityDocument: rs
      ? forPatch
        ? null
        : undefined
      : { type: d.idType, number: d.idNumber.trim(), issuingCountry: d.idCountry.trim().toUpperCase() },
    dateOfBirth: d.dateOfBirth,
    placeOfBirth: d.placeOfBirth.trim(),
    sex: d.sex,
    citizenship: d.citizenship.trim().toUpperCase(),
    aliases: d.aliases
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean),
  };
}

/** Personal data with the JMBG checked as it is typed (checksum, date of birth, sex). */
export function PersonalForm({
  initial,
  onSubmit,
  submitLabel,
  children,
}: {
  initial: PersonalData;
  onSubmit: (data: PersonalData) => void;
  submitLabel: string;
  children?: ReactNode;
}) {
  const { t } = useT();
  const [d, setD] = useState(initial);
  const set = (key: keyof PersonalData) => (e: { target: { value: string } }) =>
    setD((v) => ({ ...v, [key]: e.target.value }));
  const rs = d.citizenship.toUpperCase() === 'RS';
  const jmbgProblem = d.jmbg || rs ? checkJmbg(d.jmbg, d.dateOfBirth || undefined, d.sex) : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (rs && jmbgProblem) return;
    onSubmit(d);
  };
  return (
    <form className="card grid" onSubmit={submit} noValidate={false}>
      <Field label={t('surname')} required maxLength={100} value={d.surname} onChange={set('surname')} />
      <Field label={t('givenNames')} required maxLength={100} value={d.givenNames} onChange={set('givenNames')} />
      <Field label={t('parentNames')} maxLength={200} value={d.parentNames} onChange={set('parentNames')} />
      <Field label={t('dateOfBirth')} type="date" required value={d.dateOfBirth} onChange={set('dateOfBirth')} />
      <Select
        label={t('sex')}
        value={d.sex}
        onChange={set('sex')}
        options={[
          ['M', t('male')],
          ['F', t('female')],
        ]}
      />
      <Field label={t('placeOfBirth')} required maxLength={100} value={d.placeOfBirth} onChange={set('placeOfBirth')} />
      <CountrySelect
        label={t('citizenship')}
        name="citizenship"
        value={d.citizenship}
        onChange={(code) => setD((v) => ({ ...v, citizenship: code }))}
      />
      <Field
        label={t('jmbg')}
        inputMode="numeric"
        maxLength={13}
        required={rs}
        value={d.jmbg}
        aria-invalid={Boolean(d.jmbg && jmbgProblem)}
        hint={
          <span role="status" data-testid="jmbg-status" className={jmbgProblem ? 'bad' : 'good'}>
            {d.jmbg ? (jmbgProblem ? t(`jmbg_${jmbgProblem}` as MessageKey) : t('jmbgOk')) : ''}
          </span>
        }
        onChange={(e) => setD((v) => ({ ...v, jmbg: e.target.value.replace(/\s/g, '') }))}
      />
      {!rs && (
        <>
          <Select
            label={t('idDocType')}
            value={d.idType}
            onChange={set('idType')}
            options={['passport', 'id_card', 'residence_permit', 'other'].map((v) => [v, v])}
          />
          <Field label={t('idDocNumber')} required value={d.idNumber} onChange={set('idNumber')} />
          <CountrySelect
            label={t('idDocCountry')}
            name="issuingCountry"
            value={d.idCountry}
            onChange={(code) => setD((v) => ({ ...v, idCountry: code }))}
          />
        </>
      )}
      <Field label={t('aliases')} value={d.aliases} onChange={set('aliases')} />
      {children}
      <div className="actions">
        <button type="submit" disabled={rs && Boolean(jmbgProblem)}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
