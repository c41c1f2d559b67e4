import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AppConfig } from '@app/common';
import { isRole, type Principal, type Role } from '@app/authz';
import { IdentitySecrets } from '../secrets/identity-secrets';

/** The claims of an access token beyond the registered ones. */
export interface AccessClaims {
  sub: string;
  name: string;
  role: Role;
  region: string | null;
  /** The UIKS office of a registry clerk (absent in tokens signed before offices existed). */
  office?: string | null;
  org: string;
  sid: string;
  /** Authentication methods: `pwd`, plus `otp` when a second factor was used. */
  amr: string[];
  scope: Principal['scope'];
}

export const ALGORITHM = 'ES256';

/** What a verified token must carry: the registered claims that bound it, and whom and which session it names. */
export interface VerifiedClaims extends AccessClaims {
  exp: number;
  iat: number;
}

/**
 * Whether a token whose signature, issuer and audience are good is also
 * complete. A token our key signed without `exp` would never end, and one
 * without `iat`, `sub` or `sid` could not be dated, tied to an account or
 * revoked: all are refused, whoever made them.
 */
export function isComplete(claims: Partial<Record<keyof VerifiedClaims, unknown>>): claims is VerifiedClaims {
  return (
    Number.isSafeInteger(claims.exp) &&
    Number.isSafeInteger(claims.iat) &&
    typeof claims.sub === 'string' &&
    claims.sub !== '' &&
    typeof claims.sid === 'string' &&
    claims.sid !== '' &&
    isRole(claims.role)
  );
}

@Injectable()
export class AccessTokens {
  constructor(
    private readonly secrets: IdentitySecrets,
    private readonly config: AppConfig,
  ) {}

  get ttlSeconds(): number {
    return this.config.identity.accessTokenTtlSeconds;
  }

  sign(principal: Principal, ttlSeconds = this.ttlSeconds): string {
    const claims: AccessClaims = {
      sub: principal.userId,
      name: principal.username,
      role: principal.role,
      region: principal.region,
      office: principal.office,
      org: principal.organisation,
      sid: principal.sessionId,
      amr: principal.mfa ? ['pwd', 'otp'] : ['pwd'],
      scope: principal.scope,
    };
    return jwt.sign(claims, this.secrets.signing.privateKey, {
      algorithm: ALGORITHM,
      keyid: this.secrets.signing.kid,
      expiresIn: ttlSeconds,
      issuer: this.config.identity.issuer,
      audience: this.config.identity.audience,
      jwtid: randomUUID(),
    });
  }
}

export function principalFromClaims(claims: AccessClaims): Principal {
  return {
    userId: claims.sub,
    username: claims.name,
    role: claims.role,
    region: claims.region,
    office: claims.office ?? null,
    organisation: claims.org,
    sessionId: claims.sid,
    mfa: Array.isArray(claims.amr) && claims.amr.includes('otp'),
    scope: claims.scope === 'password_change' ? 'password_change' : 'full',
  };
}
