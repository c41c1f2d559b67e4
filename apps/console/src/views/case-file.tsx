import { type FormEvent, useState } from 'react';
import { useSession } from '../auth/session';
import { ErrorMessage, Field, saveDownload } from '../components/form';
import { useT } from '../i18n';
import type { Person } from '../types';

/**
 * "Spis predmeta / Case file": asks which prosecutor's office receives it,
 * then downloads the signed PDF (GET /persons/:id/case-file?format=pdf). The
 * api records the disclosure with that recipient.
 */
export function CaseFileDownload({ person, reason }: { person: Person; reason: string }) {
  const { t } = useT();
  const { api } = useSession();
  const [recipient, setRecipient] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (recipient.trim().length < 2) return;
    setError(null);
    setBusy(true);
    try {
      const { data } = await api.get<Blob>(`/persons/${person.id}/case-file`, {
        reason,
        query: { recipient: recipient.trim(), format: 'pdf' },
        as: 'blob',
      });
      saveDownload(data, `spis-${person.surname}-${person.id}.pdf`);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="case-file-title">
      <h2 id="case-file-title">{t('caseFile')}</h2>
      <form onSubmit={(event) => void submit(event)} data-testid="case-file-form">
        <Field
          label={t('caseFileRecipient')}
          hint={t('caseFileHint')}
          value={recipient}
          required
          minLength={2}
          maxLength={200}
          onChange={(event) => setRecipient(event.target.value)}
        />
        <ErrorMessage error={error} />
        <button type="submit" disabled={busy || recipient.trim().length < 2}>
          {t('caseFileDownload')}
        </button>
      </form>
    </section>
  );
}
