import { useRef, useState } from 'react';
import { newIdempotencyKey } from '../api/client';

export interface Submission {
  /** Whether a submission is on its way (the form's button is disabled meanwhile). */
  busy: boolean;
  /**
   * Sends the form once: `send` gets the submission's Idempotency-Key, kept
   * until it succeeds, so a second click while sending does nothing and a
   * retry after a failure (network, refused token) records at most once.
   * A success starts a new submission (a new key). Failures are thrown.
   */
  run: <T>(send: (idempotencyKey: string) => Promise<T>) => Promise<T | undefined>;
}

/** One form's submissions: the one way console forms that create records send them. */
export function useSubmission(): Submission {
  const key = useRef(newIdempotencyKey());
  const sending = useRef(false);
  const [busy, setBusy] = useState(false);
  const run = async <T>(send: (idempotencyKey: string) => Promise<T>): Promise<T | undefined> => {
    if (sending.current) return undefined;
    sending.current = true;
    setBusy(true);
    try {
      const answer = await send(key.current);
      key.current = newIdempotencyKey();
      return answer;
    } finally {
      sending.current = false;
      setBusy(false);
    }
  };
  return { busy, run };
}
