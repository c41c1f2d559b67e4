import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiClient, ApiError } from './api/client';
import { STORAGE_KEY } from './api/tokens';
import { type Me, type Session, SessionProvider, sessionOf } from './auth/session';
import { LoginPage, MfaEnrollment } from './components/login';
import { forgetReasons } from './components/reason';
import { Layout } from './components/layout';
import { useT } from './i18n';
import { Routes } from './routes';

/** 30 minutes without input lock the session (CJIS); the password unlocks it. */
export const IDLE_MS = 30 * 60_000;
/** The last input in any tab (epoch ms): the session is idle only when every tab is. */
export const ACTIVITY_KEY = 'register.activity';

type State =
  | { kind: 'loading' }
  | { kind: 'signedOut'; notice?: string }
  | { kind: 'locked'; username: string }
  | { kind: 'mfa' }
  | { kind: 'signedIn'; session: Session };

export function App({ client, idleMs = IDLE_MS }: { client?: ApiClient; idleMs?: number }) {
  const { t } = useT();
  // One client for the page's life: handlers are set on it, and sessions hold it.
  const [api] = useState(() => client ?? new ApiClient());
  const [state, setState] = useState<State>({ kind: 'loading' });

  const signOut = useCallback(
    (notice?: string) => {
      forgetReasons();
      void api.logout();
      setState({ kind: 'signedOut', notice });
    },
    [api],
  );

  // Whose reasons the tab holds: another user signing in here starts with none.
  const reasonsOf = useRef<string | null>(null);
  const load = useCallback(async () => {
    if (!api.tokens.get()) {
      setState({ kind: 'signedOut' });
      return;
    }
    try {
      const me = (await api.get<Me>('/auth/me')).data;
      if (me.id !== reasonsOf.current) forgetReasons();
      reasonsOf.current = me.id;
      setState({ kind: 'signedIn', session: sessionOf(api, me, () => signOut()) });
    } catch (failure) {
      // Only a refused session ends it; a network failure leaves it to the next try.
      if (failure instanceof ApiError && failure.status === 401) api.tokens.clear();
      setState({ kind: 'signedOut' });
    }
  }, [api, signOut]);

  useEffect(() => {
    api.onSessionEnded = () => {
      forgetReasons();
      setState((s) => (s.kind === 'locked' ? s : { kind: 'signedOut' }));
    };
    // Only a live session turns into enrolment: an answer arriving after sign-out (or after enrolment) is stale.
    api.onMfaRequired = () => setState((s) => (s.kind === 'signedIn' || s.kind === 'loading' ? { kind: 'mfa' } : s));
    void load();
  }, [api, load]);

  // Another tab signed out (or in): follow it.
  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key !== STORAGE_KEY) return;
      if (event.newValue === null) {
        forgetReasons();
        setState((s) => (s.kind === 'locked' ? s : { kind: 'signedOut' }));
      } else if (event.oldValue === null) void load();
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, [load]);

  const signedIn = state.kind === 'signedIn';

  // Refresh before the access token expires (serialised across tabs by the client).
  useEffect(() => {
    if (!signedIn) return;
    const timer = window.setInterval(() => {
      const pair = api.tokens.get();
      if (pair && api.tokens.needsRefresh(pair)) void api.refresh();
    }, 15_000);
    return () => window.clearInterval(timer);
  }, [api, signedIn]);

  // The idle lock: no key, pointer or wheel input for idleMs ends the session and asks for the password.
  useEffect(() => {
    if (!signedIn) return;
    let last = Date.now();
    let shared = last;
    localStorage.setItem(ACTIVITY_KEY, String(last));
    const touch = () => {
      last = Date.now();
      // Shared with the other tabs, at most every few seconds.
      if (last - shared > 5_000) {
        shared = last;
        localStorage.setItem(ACTIVITY_KEY, String(last));
      }
    };
    const events = ['keydown', 'pointerdown', 'wheel', 'touchstart'] as const;
    events.forEach((name) => window.addEventListener(name, touch, { passive: true }));
    const timer = window.setInterval(
      () => {
        const anyTab = Math.max(last, Number(localStorage.getItem(ACTIVITY_KEY)) || 0);
        if (Date.now() - anyTab < idleMs) return;
        const username = api.tokens.get()?.username ?? '';
        forgetReasons();
        void api.logout();
        setState({ kind: 'locked', username });
      },
      Math.min(idleMs, 10_000),
    );
    return () => {
      events.forEach((name) => window.removeEventListener(name, touch));
      window.clearInterval(timer);
    };
  }, [api, signedIn, idleMs]);

  switch (state.kind) {
    case 'loading':
      return <p className="loading">{t('loading')}</p>;
    case 'signedOut':
      return <LoginPage key="login" api={api} notice={state.notice} onSignedIn={load} />;
    case 'locked':
      return (
        <LoginPage
          key="locked"
          api={api}
          lockedUsername={state.username}
          onSignedIn={load}
          onSignOut={() => signOut()}
        />
      );
    case 'mfa':
      return <MfaEnrollment api={api} onDone={() => signOut(t('mfaActivated'))} />;
    case 'signedIn':
      return (
        <SessionProvider value={state.session}>
          <Layout>
            <Routes />
          </Layout>
        </SessionProvider>
      );
  }
}
