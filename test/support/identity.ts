import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { RequestAudit } from '@app/audit';
import type { Role } from '@app/authz';
import { UsersService, type UserView } from '@app/identity';
import type { TestApp } from './test-app';

export interface TestAccount {
  user: UserView;
  username: string;
  password: string;
}

let counter = 0;

/** A fresh account of `role` (officers in `region`, clerks of `office`), with a password that meets the policy. */
export async function createAccount(
  t: TestApp,
  role: Role,
  region: string | null = null,
  office: string | null = null,
): Promise<TestAccount> {
  counter += 1;
  const username = `${role.replace('_', '.')}.${counter}.${randomBytes(3).toString('hex')}`;
  const password = `Pw-${randomBytes(12).toString('base64url')}`;
  const user = await t.app.get(UsersService).create(RequestAudit.system('user.create'), null, {
    username,
    password,
    displayName: `Test ${role}`,
    role,
    organisation: role === 'police_officer' ? 'MUP' : 'UIKS',
    region: role === 'police_officer' ? (region ?? 'PU-BEOGRAD') : null,
    office,
  });
  return { user, username, password };
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

export async function login(
  t: TestApp,
  account: Pick<TestAccount, 'username' | 'password'>,
  otp?: string,
): Promise<Tokens> {
  const res = await request(t.server)
    .post('/api/v1/auth/login')
    .send({ username: account.username, password: account.password, ...(otp ? { otp } : {}) });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Tokens;
}

/** An account of `role` and its bearer token. */
export async function signedIn(
  t: TestApp,
  role: Role,
  region: string | null = null,
  office: string | null = null,
): Promise<TestAccount & Tokens> {
  const account = await createAccount(t, role, region, office);
  return { ...account, ...(await login(t, account)) };
}

export const bearer = (token: string): { Authorization: string } => ({ Authorization: `Bearer ${token}` });
