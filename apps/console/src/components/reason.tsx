import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { useT } from '../i18n';

/** Reasons given in this tab, per case (`person:<id>`, `morning`, …); cleared on sign-out. */
const reasons = new Map<string, string>();

/** Carries a reason over to another case of the same work (a person just recorded). */
export function rememberReason(caseKey: string, reason: string): void {
  reasons.set(caseKey, reason);
}

export function forgetReasons(): void {
  reasons.clear();
}

export function validReason(reason: string): boolean {
  const length = [...reason.trim()].length;
  return length >= 3 && length <= 200;
}

/**
 * Asks for the access reason once per case, then renders `children` with it.
 * Nothing of the case is requested before a reason is given.
 */
export function ReasonGate({ caseKey, children }: { caseKey: string; children: (reason: string) => ReactNode }) {
  const { t } = useT();
  const [reason, setReason] = useState<string | null>(() => reasons.get(caseKey) ?? null);
  const [draft, setDraft] = useState('');
  const [invalid, setInvalid] = useState(false);
  const id = useId();
  if (reason !== null && reasons.get(caseKey) === reason) {
    return (
      <>
        <p className="reason-bar">
          {t('reason')}: <strong>{reason}</strong>{' '}
          <button
            type="button"
            className="link"
            onClick={() => {
              reasons.delete(caseKey);
              setReason(null);
            }}
          >
            {t('changeReason')}
          </button>
        </p>
        {children(reason)}
      </>
    );
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!validReason(draft)) {
      setInvalid(true);
      return;
    }
    const value = draft.trim();
    reasons.set(caseKey, value);
    setReason(value);
  };
  return (
    <form className="card reason" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('reasonTitle')}</h2>
      <p id={`${id}-help`}>{t('reasonHelp')}</p>
      <label htmlFor={`${id}-reason`}>{t('reason')}</label>
      <input
        id={`${id}-reason`}
        name="reason"
        value={draft}
        autoFocus
        maxLength={200}
        aria-describedby={`${id}-help`}
        aria-invalid={invalid}
        onChange={(event) => {
          setDraft(event.target.value);
          setInvalid(false);
        }}
      />
      {invalid && (
        <p role="alert" className="error">
          {t('reasonInvalid')}
        </p>
      )}
      <button type="submit">{t('continue')}</button>
    </form>
  );
}
