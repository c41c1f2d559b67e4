import { type FormEvent, useState } from 'react';
import { useSession } from '../auth/session';
import { ErrorMessage, Field } from '../components/form';
import { ReasonGate } from '../components/reason';
import { type MessageKey, useT } from '../i18n';
import { checkJmbg } from '../jmbg';
import type { LookupAnswer } from '../types';

/** The cross-region lookup: yes or no, the active measures, nothing else. */
export function LookupPage() {
  const { t } = useT();
  return (
    <section>
      <h1>{t('lookup')}</h1>
      <p>{t('lookupHelp')}</p>
      <ReasonGate caseKey="lookup">{(reason) => <Lookup reason={reason} />}</ReasonGate>
    </section>
  );
}

function Lookup({ reason }: { reason: string }) {
  const { t, v } = useT();
  const { api } = useSession();
  const [jmbg, setJmbg] = useState('');
  const [answer, setAnswer] = useState<LookupAnswer | null>(null);
  const [error, setError] = useState<unknown>(null);
  const problem = jmbg ? checkJmbg(jmbg) : null;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (problem) return;
    setError(null);
    try {
      setAnswer((await api.get<LookupAnswer>('/persons/lookup', { reason, query: { jmbg } })).data);
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <form className="card" onSubmit={submit}>
      <Field
        label={t('jmbg')}
        value={jmbg}
        inputMode="numeric"
        maxLength={13}
        required
        aria-invalid={Boolean(problem)}
        hint={problem ? t(`jmbg_${problem}` as MessageKey) : undefined}
        onChange={(e) => setJmbg(e.target.value.trim())}
      />
      <button type="submit" disabled={Boolean(problem)}>
        {t('check')}
      </button>
      <ErrorMessage error={error} />
      {answer && (
        <div role="status" className={answer.registered ? 'result warn' : 'result'}>
          <strong>{answer.registered ? t('registered') : t('notRegistered')}</strong>
          {answer.registered && (
            <ul>
              {answer.activeMeasures.map((m) => (
                <li key={m}>{v(m)}</li>
              ))}
              {answer.banPlacesWithMinors && <li>{t('banPlaces')}</li>}
            </ul>
          )}
        </div>
      )}
    </form>
  );
}
