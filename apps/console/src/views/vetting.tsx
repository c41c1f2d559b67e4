import { type FormEvent, useState } from 'react';
import { useSession } from '../auth/session';
import { ErrorMessage, Field, formatDate, saveDownload, today } from '../components/form';
import { MoreButton, usePages } from '../components/pages';
import { useSubmission } from '../components/submission';
import { type MessageKey, useT } from '../i18n';
import { checkJmbg } from '../jmbg';
import type { VettingAnswer, VettingVolumeItem } from '../types';

const EMPTY = {
  employerName: '',
  registryNumber: '',
  activity: '',
  publicOffice: false,
  givenNames: '',
  surname: '',
  jmbg: '',
  legalBasis: '',
  requestReference: '',
};

/** The vetting officer's page: an employer's request, the answer, and the certificate to hand over. */
export function VettingPage() {
  const { t, language } = useT();
  const { api } = useSession();
  const [form, setForm] = useState(EMPTY);
  // One key per request being filled in: a retry after a lost answer gets the first answer, not a second request.
  const submission = useSubmission();
  const [answer, setAnswer] = useState<VettingAnswer | null>(null);
  const [error, setError] = useState<unknown>(null);
  const problem = form.jmbg ? checkJmbg(form.jmbg) : null;
  const set = (name: keyof typeof EMPTY) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [name]: e.target.value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (problem) return;
    setError(null);
    try {
      const sent = await submission.run((idempotencyKey) =>
        api.post<VettingAnswer>(
          '/vetting-requests',
          {
            employer: { name: form.employerName, registryNumber: form.registryNumber },
            activity: form.activity,
            publicOffice: form.publicOffice,
            candidate: { givenNames: form.givenNames, surname: form.surname, jmbg: form.jmbg },
            legalBasis: form.legalBasis,
            requestReference: form.requestReference,
          },
          { idempotencyKey },
        ),
      );
      if (sent) setAnswer(sent.data);
    } catch (failure) {
      setError(failure);
    }
  };

  const download = async (request: VettingAnswer) => {
    setError(null);
    try {
      const { data } = await api.get<Blob>(`/vetting-requests/${request.requestId}/certificate`, { as: 'blob' });
      saveDownload(data, `uverenje-${request.certificateNumber}.pdf`);
    } catch (failure) {
      setError(failure);
    }
  };

  const next = () => {
    setForm(EMPTY);
    setAnswer(null);
  };

  return (
    <section aria-labelledby="vetting-title">
      <h1 id="vetting-title">{t('vetting')}</h1>
      <p>{t('vettingHelp')}</p>
      {answer ? (
        <div className="card">
          <div role="status" className={answer.barred ? 'result warn' : 'result'} data-testid="vetting-answer">
            <strong>{answer.barred ? t('vettingBarred') : t('vettingNotBarred')}</strong>
            <dl>
              <dt>{t('certificateNumber')}</dt>
              <dd>{answer.certificateNumber}</dd>
              <dt>{t('issuedOn')}</dt>
              <dd>{formatDate(answer.issuedOn, language)}</dd>
              <dt>{t('validUntil')}</dt>
              <dd>{formatDate(answer.validUntil, language)}</dd>
            </dl>
          </div>
          <button type="button" onClick={() => void download(answer)}>
            {t('downloadCertificate')}
          </button>{' '}
          <button type="button" className="secondary" onClick={next}>
            {t('nextRequest')}
          </button>
          <ErrorMessage error={error} />
        </div>
      ) : (
        <form className="card" onSubmit={submit} aria-label={t('vetting')}>
          <ErrorMessage error={error} />
          <fieldset>
            <legend>{t('employer')}</legend>
            <Field
              label={t('employerName')}
              name="employer.name"
              required
              maxLength={200}
              value={form.employerName}
              onChange={set('employerName')}
            />
            <Field
              label={t('registryNumber')}
              name="employer.registryNumber"
              required
              inputMode="numeric"
              pattern="[0-9]{8}"
              maxLength={8}
              value={form.registryNumber}
              onChange={set('registryNumber')}
            />
            <Field
              label={t('activity')}
              name="activity"
              required
              maxLength={200}
              value={form.activity}
              onChange={set('activity')}
            />
            <div className="field">
              <label>
                <input
                  type="checkbox"
                  checked={form.publicOffice}
                  onChange={(e) => setForm((f) => ({ ...f, publicOffice: e.target.checked }))}
                />{' '}
                {t('publicOfficeActivity')}
              </label>
            </div>
          </fieldset>
          <fieldset>
            <legend>{t('candidate')}</legend>
            <Field
              label={t('givenNames')}
              name="candidate.givenNames"
              required
              maxLength={100}
              value={form.givenNames}
              onChange={set('givenNames')}
            />
            <Field
              label={t('surname')}
              name="candidate.surname"
              required
              maxLength={100}
              value={form.surname}
              onChange={set('surname')}
            />
            <Field
              label={t('jmbg')}
              name="candidate.jmbg"
              required
              inputMode="numeric"
              maxLength={13}
              value={form.jmbg}
              aria-invalid={Boolean(problem)}
              hint={problem ? t(`jmbg_${problem}` as MessageKey) : undefined}
              onChange={(e) => setForm((f) => ({ ...f, jmbg: e.target.value.trim() }))}
            />
          </fieldset>
          <Field
            label={t('legalBasis')}
            name="legalBasis"
            required
            maxLength={300}
            value={form.legalBasis}
            onChange={set('legalBasis')}
          />
          <Field
            label={t('requestReference')}
            name="requestReference"
            required
            maxLength={100}
            value={form.requestReference}
            onChange={set('requestReference')}
          />
          <button type="submit" disabled={Boolean(problem) || submission.busy}>
            {t('vettingAsk')}
          </button>
        </form>
      )}
    </section>
  );
}

/** The auditors' view: requests per employer per day (fishing shows as a high count). */
export function VettingVolumePage() {
  const { t, language } = useT();
  const [to, setTo] = useState(today);
  const pages = usePages<VettingVolumeItem>('/vetting-requests/volume', { to }, undefined);
  const { items } = pages;

  return (
    <section aria-labelledby="vetting-volume-title">
      <h1 id="vetting-volume-title">{t('vettingVolume')}</h1>
      <p>{t('vettingVolumeHelp')}</p>
      <div className="card inline">
        <Field label={t('until')} type="date" value={to} onChange={(e) => setTo(e.target.value)} />
      </div>
      <ErrorMessage error={pages.error} />
      <div className="card">
        {items === null ? (
          <p>{t('loading')}</p>
        ) : items.length === 0 ? (
          <p>{t('nothing')}</p>
        ) : (
          <table data-testid="vetting-volume">
            <thead>
              <tr>
                <th scope="col">{t('day')}</th>
                <th scope="col">{t('employer')}</th>
                <th scope="col">{t('registryNumber')}</th>
                <th scope="col">{t('requests')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={`${item.day}-${item.registryNumber}`} data-testid="vetting-volume-row">
                  <td>{formatDate(item.day, language)}</td>
                  <td>{item.employerName}</td>
                  <td>{item.registryNumber}</td>
                  <td>{item.requests}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <MoreButton pages={pages} />
      </div>
    </section>
  );
}
