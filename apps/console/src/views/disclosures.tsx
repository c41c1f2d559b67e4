import { type FormEvent, useState } from 'react';
import { Can, useSession } from '../auth/session';
import { CountrySelect } from '../components/country-select';
import { Choices, ErrorMessage, Field, formatTime, saveDownload, Select } from '../components/form';
import { MoreButton, usePages } from '../components/pages';
import { ReasonGate } from '../components/reason';
import { useSubmission } from '../components/submission';
import { type MessageKey, useT } from '../i18n';
import { Link } from '../router';
import type { Disclosure, DisclosureAnswer } from '../types';

/** The parts of a person a disclosure may carry, in the order the server keeps them. */
export const DISCLOSURE_FIELDS = [
  'identity',
  'photos',
  'description',
  'dna_reference',
  'convictions',
  'measures',
  'travel_notices',
] as const satisfies readonly Disclosure['fields'][number][];
export type DisclosureField = (typeof DISCLOSURE_FIELDS)[number];

const FIELD_LABELS: Record<DisclosureField, MessageKey> = {
  identity: 'identity',
  photos: 'photos',
  description: 'description',
  dna_reference: 'dnaReferenceField',
  convictions: 'convictions',
  measures: 'measures',
  travel_notices: 'travelNotices',
};

/** An outbound notice prepared from a travel-abroad notice: its destination, and the notice itself. */
export interface PreparedNotice {
  country: string;
  travelNoticeId: string;
}

/** Saves a disclosure's package as the PDF the server renders of it. */
async function downloadPdf(api: ReturnType<typeof useSession>['api'], reason: string, id: string): Promise<void> {
  const { data } = await api.get<Blob>(`/disclosures/${id}/package`, { reason, query: { format: 'pdf' }, as: 'blob' });
  saveDownload(data, `disclosure-${id}.pdf`);
}

/**
 * A clerk's disclosure of the person abroad: the recipient, the channel, the
 * legal basis, the case and the parts to send. Prepared from a travel
 * notice, it starts with the destination country, `bilateral`, and the
 * identity, measures and travel notices.
 */
export function DisclosureForm({
  personId,
  reason,
  prepared,
  onDone,
}: {
  personId: string;
  reason: string;
  prepared?: PreparedNotice;
  onDone?: (disclosure: DisclosureAnswer) => void;
}) {
  const { t, v } = useT();
  const { api } = useSession();
  const [authority, setAuthority] = useState('');
  const [country, setCountry] = useState(prepared?.country ?? '');
  const [channel, setChannel] = useState<Disclosure['channel']>(prepared ? 'bilateral' : 'interpol');
  const [legalBasis, setLegalBasis] = useState('');
  const [caseReference, setCaseReference] = useState('');
  const [fields, setFields] = useState<DisclosureField[]>(
    prepared ? ['identity', 'measures', 'travel_notices'] : ['identity'],
  );
  const submission = useSubmission();
  const [sent, setSent] = useState<DisclosureAnswer | null>(null);
  const [error, setError] = useState<unknown>(null);

  const toggle = (field: DisclosureField, on: boolean) =>
    setFields((chosen) => DISCLOSURE_FIELDS.filter((f) => (f === field ? on : chosen.includes(f))));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const sent = await submission.run((idempotencyKey) =>
        api.post<DisclosureAnswer>(
          `/persons/${personId}/disclosures`,
          {
            recipient: { authority, country: country.trim().toUpperCase() },
            channel,
            legalBasis,
            caseReference,
            fields,
            ...(prepared ? { travelNoticeId: prepared.travelNoticeId } : {}),
          },
          { reason, idempotencyKey },
        ),
      );
      if (!sent) return;
      setSent(sent.data);
      onDone?.(sent.data);
    } catch (failure) {
      setError(failure);
    }
  };
  const download = async () => {
    if (!sent) return;
    setError(null);
    try {
      await downloadPdf(api, reason, sent.id);
    } catch (failure) {
      setError(failure);
    }
  };

  if (sent) {
    return (
      <section className="card" data-testid="disclosure-sent">
        <h3>{t('disclosureNew')}</h3>
        <ErrorMessage error={error} />
        <p>
          {t('disclosureSent')} <code>{sent.packageSha256}</code>
        </p>
        <button type="button" onClick={() => void download()}>
          {t('downloadPdf')}
        </button>
      </section>
    );
  }
  return (
    <form className="card" onSubmit={submit} data-testid="disclosure-form" aria-label={t('disclosureNew')}>
      <h3>{prepared ? t('prepareOutbound') : t('disclosureNew')}</h3>
      <ErrorMessage error={error} />
      <Field
        label={t('recipientAuthority')}
        required
        maxLength={200}
        value={authority}
        onChange={(e) => setAuthority(e.target.value)}
      />
      <CountrySelect label={t('recipientCountry')} name="recipient.country" value={country} onChange={setCountry} />
      <Select
        label={t('channel')}
        value={channel}
        onChange={(e) => setChannel(e.target.value as Disclosure['channel'])}
        options={(['interpol', 'europol', 'bilateral'] as const).map((c) => [c, v(c)])}
      />
      <Field
        label={t('legalBasis')}
        required
        maxLength={500}
        value={legalBasis}
        onChange={(e) => setLegalBasis(e.target.value)}
      />
      <Field
        label={t('caseReference')}
        required
        maxLength={200}
        value={caseReference}
        onChange={(e) => setCaseReference(e.target.value)}
      />
      <Choices legend={t('disclosureFields')} name="fields">
        {DISCLOSURE_FIELDS.map((field) => (
          <label key={field}>
            <input type="checkbox" checked={fields.includes(field)} onChange={(e) => toggle(field, e.target.checked)} />{' '}
            {t(FIELD_LABELS[field])}
          </label>
        ))}
      </Choices>
      <button type="submit" disabled={fields.length === 0 || submission.busy}>
        {t('send')}
      </button>
    </form>
  );
}

/** Disclosures abroad, newest first: clerks see the person and download the PDF; auditors see the records only. */
export function DisclosuresPage() {
  const { t } = useT();
  return (
    <section aria-labelledby="disclosures-title">
      <h1 id="disclosures-title">{t('disclosures')}</h1>
      <ReasonGate caseKey="disclosures">{(reason) => <DisclosureList reason={reason} />}</ReasonGate>
    </section>
  );
}

function DisclosureList({ reason }: { reason: string }) {
  const { t, v, language } = useT();
  const { api } = useSession();
  const pages = usePages<Disclosure>('/disclosures', {}, reason);
  const { items } = pages;
  const [error, setError] = useState<unknown>(null);
  const download = async (id: string) => {
    setError(null);
    try {
      await downloadPdf(api, reason, id);
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <div className="card">
      <ErrorMessage error={pages.error ?? error} />
      {items === null ? (
        <p>{t('loading')}</p>
      ) : items.length === 0 ? (
        <p>{t('nothing')}</p>
      ) : (
        <table data-testid="disclosures">
          <thead>
            <tr>
              <th scope="col">{t('sentOn')}</th>
              <th scope="col">{t('person')}</th>
              <th scope="col">{t('recipient')}</th>
              <th scope="col">{t('channel')}</th>
              <th scope="col">{t('fieldsSent')}</th>
              <th scope="col">SHA-256</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id} data-testid="disclosure-row">
                <td className="nowrap">{formatTime(item.createdAt, language)}</td>
                <td>
                  {item.person ? (
                    <Link to={`/persons/${item.personId}`}>
                      {item.person.surname}, {item.person.givenNames}
                    </Link>
                  ) : (
                    <code>{item.personId}</code>
                  )}
                </td>
                <td>
                  {item.recipient.authority} ({item.recipient.country})
                </td>
                <td>{v(item.channel)}</td>
                <td>{item.fields.map((f) => t(FIELD_LABELS[f])).join(', ')}</td>
                <td>
                  <code title={item.packageSha256}>{item.packageSha256.slice(0, 12)}…</code>
                  <Can I="export" a="Disclosure">
                    {' '}
                    <button type="button" className="link" onClick={() => void download(item.id)}>
                      {t('downloadPdf')}
                    </button>
                  </Can>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <MoreButton pages={pages} />
    </div>
  );
}
