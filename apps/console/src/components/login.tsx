import { type FormEvent, useState } from 'react';
import { ApiClient, ApiError } from '../api/client';
import { useT } from '../i18n';
import { ErrorMessage, Field } from './form';
import { LanguageToggle } from './language-toggle';
import qrcode from 'qrcode-generator';

type Step = { kind: 'credentials' } | { kind: 'otp' } | { kind: 'password'; token: string };

/**
 * Sign-in: username and password, then the authenticator code when the
 * server asks for one (`otp_required`), or a new password after an admin
 * reset (`password_change_required` carries a short token for that alone).
 */
export function LoginPage({
  api,
  onSignedIn,
  lockedUsername,
  notice,
  onSignOut,
}: {
  api: ApiClient;
  onSignedIn: () => void;
  lockedUsername?: string;
  notice?: string;
  onSignOut?: () => void;
}) {
  const { t } = useT();
  const [step, setStep] = useState<Step>({ kind: 'credentials' });
  const [username, setUsername] = useState(lockedUsername ?? '');
  const [password, setPassword] = useState('');
  const [otp, setOtp] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState(notice ?? '');
  const [busy, setBusy] = useState(false);

  const signIn = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.login(username, password, step.kind === 'otp' ? otp : undefined);
      onSignedIn();
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'otp_required') {
        if (step.kind === 'otp') setError(failure);
        setStep({ kind: 'otp' });
        setOtp('');
      } else if (failure instanceof ApiError && failure.code === 'password_change_required') {
        setStep({ kind: 'password', token: String(failure.problem.accessToken ?? '') });
      } else if (failure instanceof ApiError && failure.status === 401) {
        setError(new Error(t('loginFailed')));
        setStep({ kind: 'credentials' });
      } else setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const changePassword = async (event: FormEvent) => {
    event.preventDefault();
    if (step.kind !== 'password') return;
    setBusy(true);
    setError(null);
    try {
      await api.request('POST', '/auth/password', {
        body: { currentPassword: password, newPassword },
        token: step.token,
      });
      setPassword('');
      setNewPassword('');
      setStep({ kind: 'credentials' });
      setMessage(t('passwordChanged'));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login" id="main">
      <div className="login-language">
        <LanguageToggle />
      </div>
      <h1>{lockedUsername ? t('locked') : t('appTitle')}</h1>
      {lockedUsername && <p>{t('lockedHelp')}</p>}
      {message && (
        <p role="status" className="notice">
          {message}
        </p>
      )}
      {step.kind === 'password' ? (
        <form className="card" onSubmit={changePassword}>
          <h2>{t('passwordChange')}</h2>
          <p>{t('passwordChangeHelp')}</p>
          <Field
            label={t('newPassword')}
            type="password"
            autoComplete="new-password"
            value={newPassword}
            minLength={12}
            maxLength={128}
            required
            onChange={(e) => setNewPassword(e.target.value)}
          />
          <ErrorMessage error={error} />
          <button type="submit" disabled={busy}>
            {t('save')}
          </button>
        </form>
      ) : (
        <form className="card" onSubmit={signIn}>
          <h2>{t('signIn')}</h2>
          <Field
            label={t('username')}
            autoComplete="username"
            value={username}
            required
            readOnly={Boolean(lockedUsername)}
            onChange={(e) => setUsername(e.target.value)}
          />
          <Field
            label={t('password')}
            type="password"
            autoComplete="current-password"
            value={password}
            required
            autoFocus={Boolean(lockedUsername)}
            onChange={(e) => setPassword(e.target.value)}
          />
          {step.kind === 'otp' && (
            <Field
              label={t('otp')}
              hint={t('otpPrompt')}
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6}"
              value={otp}
              required
              autoFocus
              onChange={(e) => setOtp(e.target.value.trim())}
            />
          )}
          <ErrorMessage error={error} />
          <button type="submit" disabled={busy}>
            {lockedUsername ? t('unlock') : step.kind === 'otp' ? t('continue') : t('signIn')}
          </button>
          {onSignOut && (
            <button type="button" className="secondary" onClick={onSignOut}>
              {t('signOut')}
            </button>
          )}
        </form>
      )}
    </main>
  );
}

/** The otpauth:// address as a QR code image (a data: URL: the CSP allows images from here and data: only). */
function qrDataUrl(text: string): string {
  const code = qrcode(0, 'M');
  code.addData(text);
  code.make();
  return code.createDataURL(4, 4);
}

/** Enrolment of an authenticator when the role needs one: show the key, activate with a code, sign in again. */
export function MfaEnrollment({ api, onDone }: { api: ApiClient; onDone: () => void }) {
  const { t } = useT();
  const [enrolment, setEnrolment] = useState<{ otpauthUrl: string; secret: string } | null>(null);
  const [otp, setOtp] = useState('');
  const [error, setError] = useState<unknown>(null);

  const start = async () => {
    setError(null);
    try {
      setEnrolment((await api.post<{ otpauthUrl: string; secret: string }>('/auth/mfa/enroll', {})).data);
    } catch (failure) {
      setError(failure);
    }
  };
  const activate = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await api.post('/auth/mfa/activate', { otp });
      onDone();
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <main className="login" id="main">
      <h1>{t('mfaEnroll')}</h1>
      <div className="card">
        <p>{t('mfaEnrollHelp')}</p>
        {!enrolment ? (
          <button type="button" onClick={start}>
            {t('continue')}
          </button>
        ) : (
          <form onSubmit={activate}>
            <img className="qr" src={qrDataUrl(enrolment.otpauthUrl)} alt={t('mfaQr')} width={200} height={200} />
            <p>
              {t('mfaSecret')}: <code data-testid="mfa-secret">{enrolment.secret}</code>
            </p>
            <Field
              label={t('otp')}
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6}"
              value={otp}
              required
              onChange={(e) => setOtp(e.target.value.trim())}
            />
            <button type="submit">{t('mfaActivate')}</button>
          </form>
        )}
        <ErrorMessage error={error} />
      </div>
    </main>
  );
}
