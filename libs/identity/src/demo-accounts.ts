import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { RequestAudit } from '@app/audit';
import type { Role } from '@app/authz';
import { DomainError } from '@app/common';
import type { UsersService } from './users.service';

interface DemoAccount {
  username: string;
  role: Role;
  region: string | null;
  office?: string;
  organisation: string;
  displayName: string;
}

/**
 * One account per role, officers of two administrations and a clerk of a
 * UIKS office, for trying the register locally.
 */
const DEMO_ACCOUNTS: DemoAccount[] = [
  { username: 'demo.admin', role: 'admin', region: null, organisation: 'UIKS, IT', displayName: 'Demo administrator' },
  { username: 'demo.clerk', role: 'registry_clerk', region: null, organisation: 'UIKS', displayName: 'Demo clerk' },
  {
    username: 'demo.clerk.bg',
    role: 'registry_clerk',
    region: null,
    office: 'UIKS-BEOGRAD',
    organisation: 'UIKS, Poverenička kancelarija Beograd',
    displayName: 'Demo clerk (UIKS Beograd)',
  },
  {
    username: 'demo.officer.bg',
    role: 'police_officer',
    region: 'PU-BEOGRAD',
    organisation: 'MUP, PU za grad Beograd',
    displayName: 'Demo officer (Beograd)',
  },
  {
    username: 'demo.officer.ns',
    role: 'police_officer',
    region: 'PU-NOVI-SAD',
    organisation: 'MUP, PU Novi Sad',
    displayName: 'Demo officer (Novi Sad)',
  },
  {
    username: 'demo.judge',
    role: 'judicial_officer',
    region: null,
    organisation: 'Viši sud u Beogradu',
    displayName: 'Demo judicial officer',
  },
  {
    username: 'demo.auditor',
    role: 'auditor',
    region: null,
    organisation: 'UIKS, kontrola',
    displayName: 'Demo auditor',
  },
  {
    username: 'demo.vetting',
    role: 'vetting_officer',
    region: null,
    organisation: 'UIKS, provera za poslodavce',
    displayName: 'Demo vetting officer',
  },
];

/**
 * Creates the demo accounts on the first start of the embedded database,
 * with random passwords written only to `file` (0600). Later starts leave
 * them alone. Returns the file's path.
 */
export async function ensureDemoAccounts(
  users: UsersService,
  file: string,
): Promise<{ file: string; created: boolean }> {
  try {
    await fs.access(file);
    return { file, created: false };
  } catch {
    // first start: create them
  }
  const written = [];
  for (const account of DEMO_ACCOUNTS) {
    const password = randomBytes(15).toString('base64url');
    try {
      await users.create(RequestAudit.system('user.create'), null, { ...account, password });
    } catch (error) {
      // The file was removed but the account exists: give it a new password.
      if (!(error instanceof DomainError && error.code === 'conflict')) throw error;
      await users.setPassword(RequestAudit.system('user.reset_password'), account.username, password);
    }
    written.push({
      username: account.username,
      password,
      role: account.role,
      region: account.region,
      office: account.office ?? null,
    });
  }
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await fs.writeFile(file, JSON.stringify({ accounts: written }, null, 2) + '\n', { mode: 0o600 });
  return { file, created: true };
}
