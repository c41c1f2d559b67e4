import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useSession } from '../auth/session';
import { ErrorMessage, Field, formatTime, Select } from '../components/form';
import { ReasonGate } from '../components/reason';
import { useCodeChoices } from '../components/reference-lists';
import { type MessageKey, useT } from '../i18n';
import type { RoleChange, User } from '../types';

const ROLES = ['registry_clerk', 'police_officer', 'judicial_officer', 'auditor', 'vetting_officer', 'admin'] as const;

const CHANGE_KINDS: Record<RoleChange['kind'], MessageKey> = {
  role: 'changeRole',
  activation: 'changeActivation',
  password_reset: 'changePasswordReset',
  mfa_reset: 'changeMfaReset',
};

/** A throw-away password for a new account: it never signs in (activation gives a temporary one). */
function unusablePassword(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The admins' accounts: list, create, change role, region, office or
 * activity, reset password or authenticator, end sessions; and the changes
 * waiting for a second admin. Every change carries the reason given here.
 */
export function UsersPage() {
  const { t } = useT();
  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">{t('users')}</h1>
      <ReasonGate caseKey="users">{(reason) => <Accounts reason={reason} />}</ReasonGate>
    </section>
  );
}

function Accounts({ reason }: { reason: string }) {
  const { t, v, language } = useT();
  const { api, me } = useSession();
  const [users, setUsers] = useState<User[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [pending, setPending] = useState<RoleChange[]>([]);
  const [role, setRole] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const [password, setPassword] = useState<{ username: string; value: string } | null>(null);

  const load = useCallback(
    async (cursor?: string) => {
      try {
        const page = (
          await api.get<{ items: User[]; nextCursor: string | null }>('/users', {
            query: { role: role || undefined, cursor, limit: 50 },
            reason,
          })
        ).data;
        setUsers((shown) => (cursor && shown ? [...shown, ...page.items] : page.items));
        setNext(page.nextCursor);
        setPending((await api.get<{ items: RoleChange[] }>('/users/role-changes', { reason })).data.items);
      } catch (failure) {
        setError(failure);
      }
    },
    [api, reason, role],
  );
  useEffect(() => {
    void load();
  }, [load]);

  /** Runs one change, then says what happened and shows the list as it now is; whether it was made. */
  const act = async (change: () => Promise<string>): Promise<boolean> => {
    setError(null);
    setNotice('');
    let made = false;
    try {
      setNotice(await change());
      setEditing(null);
      made = true;
    } catch (failure) {
      setError(failure);
    }
    await load();
    return made;
  };
  const outcome = (status: number) => (status === 202 ? t('userChangePending') : t('saved'));
  /** A reset waits for a second admin (202). */
  const reset = (user: User, kind: 'reset-password' | 'reset-mfa') =>
    void act(async () => outcome((await api.post(`/users/${user.id}/${kind}`, undefined, { reason })).status));
  const nameOf = (userId: string) => users?.find((u) => u.id === userId)?.username ?? userId;

  return (
    <>
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      {password && (
        <div role="status" className="notice" data-testid="temporary-password">
          {t('temporaryPassword')} <strong>{password.username}</strong>: <code>{password.value}</code>
          <p className="hint">{t('temporaryPasswordHelp')}</p>
          <button type="button" className="secondary" onClick={() => setPassword(null)}>
            {t('close')}
          </button>
        </div>
      )}
      <ErrorMessage error={error} />

      <section className="card" aria-labelledby="pending-title">
        <h2 id="pending-title">{t('pendingChanges')}</h2>
        {pending.length === 0 ? (
          <p>{t('noPendingChanges')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('username')}</th>
                <th scope="col">{t('change')}</th>
                <th scope="col">{t('requestedAt')}</th>
                <th scope="col">
                  <span className="sr-only">{t('confirm')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {pending.map((change) => (
                <tr key={change.id}>
                  <td>{nameOf(change.userId)}</td>
                  <td>
                    {t(CHANGE_KINDS[change.kind])}
                    {change.kind === 'role' || change.kind === 'activation'
                      ? `: ${v(change.role)}${change.region ? `, ${change.region}` : ''}${change.office ? `, ${change.office}` : ''}`
                      : ''}
                  </td>
                  <td className="nowrap">{formatTime(change.requestedAt, language)}</td>
                  <td>
                    <button
                      type="button"
                      onClick={() =>
                        void act(async () => {
                          const answer = await api.post<{ temporaryPassword?: string }>(
                            `/users/${change.userId}/role-changes/${change.id}/confirm`,
                            undefined,
                            { reason },
                          );
                          if (answer.data.temporaryPassword) {
                            setPassword({ username: nameOf(change.userId), value: answer.data.temporaryPassword });
                          }
                          return t('changeConfirmed');
                        })
                      }
                    >
                      {t('confirm')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="card" aria-labelledby="accounts-title">
        <h2 id="accounts-title">{t('accounts')}</h2>
        <Select
          label={t('role')}
          value={role}
          onChange={(e) => setRole(e.target.value)}
          options={[['', t('all')], ...ROLES.map((r): [string, string] => [r, v(r)])]}
        />
        {users === null ? (
          <p>{t('loading')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('username')}</th>
                <th scope="col">{t('displayName')}</th>
                <th scope="col">{t('role')}</th>
                <th scope="col">{t('regionOrOffice')}</th>
                <th scope="col">{t('accountState')}</th>
                <th scope="col">
                  <span className="sr-only">{t('edit')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) =>
                editing === user.id ? (
                  <tr key={user.id}>
                    <td colSpan={6}>
                      <AccountForm
                        user={user}
                        onCancel={() => setEditing(null)}
                        onSave={(body) =>
                          act(async () => {
                            const answer = await api.request('PATCH', `/users/${user.id}`, {
                              body,
                              reason,
                              version: user.version,
                            });
                            return outcome(answer.status);
                          })
                        }
                      />
                    </td>
                  </tr>
                ) : (
                  <tr key={user.id}>
                    <td>{user.username}</td>
                    <td>{user.displayName}</td>
                    <td>{v(user.role)}</td>
                    <td>{user.region ?? user.office ?? '—'}</td>
                    <td>
                      {user.active ? t('accountActive') : t('accountInactive')}
                      {user.mfaEnrolled ? `, ${t('mfaOn')}` : ''}
                      {user.lockedUntil ? `, ${t('lockedUntil')} ${formatTime(user.lockedUntil, language)}` : ''}
                    </td>
                    <td className="actions">
                      {user.id !== me.id && (
                        <>
                          <button type="button" className="secondary" onClick={() => setEditing(user.id)}>
                            {t('edit')}
                          </button>
                          <button type="button" className="secondary" onClick={() => reset(user, 'reset-password')}>
                            {t('resetPassword')}
                          </button>
                          {user.mfaEnrolled && (
                            <button type="button" className="secondary" onClick={() => reset(user, 'reset-mfa')}>
                              {t('resetMfa')}
                            </button>
                          )}
                          {user.active && (
                            <button
                              type="button"
                              className="secondary"
                              onClick={() =>
                                void act(async () => {
                                  await api.request('PATCH', `/users/${user.id}`, {
                                    body: { active: false },
                                    reason,
                                    version: user.version,
                                  });
                                  return t('accountDeactivated');
                                })
                              }
                            >
                              {t('deactivate')}
                            </button>
                          )}
                        </>
                      )}
                    </td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        )}
        {next && (
          <button type="button" className="secondary" onClick={() => void load(next)}>
            {t('more')}
          </button>
        )}
      </section>

      <section className="card" aria-labelledby="new-account-title">
        <h2 id="new-account-title">{t('newAccount')}</h2>
        <p className="hint">{t('newAccountHelp')}</p>
        <AccountForm
          onSave={(body) =>
            act(async () => {
              await api.post('/users', { ...body, password: unusablePassword() }, { reason });
              return t('accountCreated');
            })
          }
        />
      </section>
    </>
  );
}

type AccountBody = Record<string, string | boolean | null>;

/** A new account, or the changes to one: role, then the region (officers) or office (clerks) it asks for. */
function AccountForm({
  user,
  onSave,
  onCancel,
}: {
  user?: User;
  /** Whether the change was made (a refused one keeps what was typed, to correct it). */
  onSave: (body: AccountBody) => Promise<boolean>;
  onCancel?: () => void;
}) {
  const { t, v } = useT();
  const regions = useCodeChoices('/reference/police-administrations');
  const offices = useCodeChoices('/reference/uiks-offices');
  const blank = {
    username: '',
    displayName: user?.displayName ?? '',
    organisation: user?.organisation ?? '',
    role: user?.role ?? 'registry_clerk',
    region: user?.region ?? '',
    office: user?.office ?? '',
    email: user?.email ?? '',
  };
  const [values, setValues] = useState(blank);
  const set = (name: keyof typeof blank) => (e: { target: { value: string } }) =>
    setValues((current) => ({ ...current, [name]: e.target.value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const body: AccountBody = {
      displayName: values.displayName.trim(),
      role: values.role,
      region: values.role === 'police_officer' ? values.region : null,
      office: values.role === 'registry_clerk' && values.office ? values.office : null,
      email: values.email.trim() || null,
    };
    if (!user) {
      body.username = values.username.trim();
      body.organisation = values.organisation.trim();
      for (const key of ['region', 'office', 'email'] as const) if (body[key] === null) delete body[key];
    }
    if ((await onSave(body)) && !user) setValues(blank);
  };

  return (
    <form className="inline" onSubmit={submit}>
      {!user && (
        <Field
          label={t('username')}
          required
          pattern="[A-Za-z0-9._\-]{3,64}"
          value={values.username}
          onChange={set('username')}
        />
      )}
      <Field label={t('displayName')} required value={values.displayName} onChange={set('displayName')} />
      {!user && <Field label={t('organisation')} required value={values.organisation} onChange={set('organisation')} />}
      <Select
        label={t('role')}
        value={values.role}
        onChange={set('role')}
        options={ROLES.map((r): [string, string] => [r, v(r)])}
      />
      {values.role === 'police_officer' && (
        <Select
          label={t('policeAdministration')}
          required
          value={values.region}
          onChange={set('region')}
          options={[['', '—'], ...regions]}
        />
      )}
      {values.role === 'registry_clerk' && (
        <Select
          label={t('uiksOffice')}
          value={values.office}
          onChange={set('office')}
          options={[['', t('nationalReach')], ...offices]}
        />
      )}
      <Field label={t('email')} type="email" value={values.email} onChange={set('email')} />
      <button type="submit">{t('save')}</button>
      {onCancel && (
        <button type="button" className="secondary" onClick={onCancel}>
          {t('cancel')}
        </button>
      )}
    </form>
  );
}
