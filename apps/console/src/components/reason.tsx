import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { useT } from '../i18n';

/** Reasons given in this tab, per case (`person:<id>`, `morning`, …); cleared on sign-out. */
const reasons = new Map<string, string>();
/** The working case's reason: every case opened while it stands takes it, until the user changes it. */
let working: string | null = null;
/** The latest distinct reasons of this tab, newest first, offered when a reason is asked. */
const recent: string[] = [];
const RECENT = 5;

/** Gives `caseKey` this reason, which becomes the working reason and the first of the recent ones. */
export function rememberReason(caseKey: string, reason: string): void {
  reasons.set(caseKey, reason);
  working = reason;
  const seen = recent.indexOf(reason);
  if (seen >= 0) recent.splice(seen, 1);
  recent.unshift(reason);
  recent.splice(RECENT);
}

export function forgetReasons(): void {
  reasons.clear();
  working = null;
  recent.splice(0);
}

/** The reason a case was opened with, else the working reason (then kept for that case). */
function reasonOf(caseKey: string): string | null {
  const given = reasons.get(caseKey);
  if (given !== undefined) return given;
  if (working !== null) reasons.set(caseKey, working);
  return working;
}

export function validReason(reason: string): boolean {
  const length = [...reason.trim()].length;
  return length >= 3 && length <= 200;
}

/**
 * The access reason of a case, then `children` with it. The first case asks
 * for one (offering the tab's recent reasons); later cases take the working
 * reason until the user changes it, and every page shows the reason it sends.
 * Nothing of the case is requested before there is a reason.
 */
export function ReasonGate({ caseKey, children }: { caseKey: string; children: (reason: string) => ReactNode }) {
  const { t } = useT();
  const [reason, setReason] = useState<string | null>(() => reasonOf(caseKey));
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
  const choose = (value: string) => {
    rememberReason(caseKey, value);
    setReason(value);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!validReason(draft)) {
      setInvalid(true);
      return;
    }
    choose(draft.trim());
  };
  return (
    <form className="card reason" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('reasonTitle')}</h2>
      <p id={`${id}-help`}>{t('reasonHelp')}</p>
      {recent.length > 0 && (
        <div className="recent-reasons" role="group" aria-label={t('recentReasons')}>
          <span>{t('recentReasons')}:</span>
          {recent.map((value) => (
            <button key={value} type="button" className="secondary" onClick={() => choose(value)}>
              {value}
            </button>
          ))}
        </div>
      )}
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
