import type { Role } from './roles';

/**
 * Who is calling, as the verified access token says. Trusted until the
 * session is revoked, which every instance sees within seconds.
 */
export interface Principal {
  userId: string;
  username: string;
  role: Role;
  /** Police administration code, for police officers. */
  region: string | null;
  /** UIKS office code, for registry clerks who belong to one (none: national reach). */
  office: string | null;
  organisation: string;
  sessionId: string;
  /** The session was opened with a second factor. */
  mfa: boolean;
  /** `password_change`: a temporary password was used; only the password may be changed. */
  scope: 'full' | 'password_change';
}

/** What an ability depends on: the role, an officer's region and a clerk's office (none when absent). */
export type PrincipalReach = Pick<Principal, 'role' | 'region'> & { office?: string | null };
