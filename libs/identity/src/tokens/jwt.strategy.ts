import type { Request } from 'express';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import jwt from 'jsonwebtoken';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig } from '@app/common';
import { JWT_STRATEGY, type Principal } from '@app/authz';
import { IdentitySecrets } from '../secrets/identity-secrets';
import { ALGORITHM, isComplete, principalFromClaims, type VerifiedClaims } from './access-tokens';
import { RevokedSessions } from './revoked-sessions';

/**
 * Verifies bearer tokens: ES256 only (no `none`, no HMAC), a known `kid`,
 * our issuer and audience, `exp`, `iat`, `sub` and `sid` present, not
 * expired, and a session not revoked.
 */
const extractToken = ExtractJwt.fromAuthHeaderAsBearerToken();

/** Tokens verified recently (bounded; the oldest is dropped first). */
const VERIFIED_CACHE_SIZE = 10_000;

interface PassportActions {
  success(user: unknown): void;
  fail(challenge: string, status: number): void;
}

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  private readonly verified = new Map<string, VerifiedClaims>();

  constructor(
    secrets: IdentitySecrets,
    config: AppConfig,
    private readonly revoked: RevokedSessions,
  ) {
    // Key objects, not PEM text: a PEM would be parsed again on every request.
    const keys = new Map(secrets.verification.map(({ kid, publicKey }) => [kid, publicKey]));
    super({
      jwtFromRequest: extractToken,
      passReqToCallback: true,
      algorithms: [ALGORITHM],
      issuer: config.identity.issuer,
      audience: config.identity.audience,
      ignoreExpiration: false,
      secretOrKeyProvider: (_request, rawJwt, done) => {
        const header = jwt.decode(rawJwt, { complete: true })?.header;
        const key = header?.alg === ALGORITHM && header.kid ? keys.get(header.kid) : undefined;
        if (!key) return done(new Error('unknown key'));
        // jsonwebtoken verifies with a KeyObject as well as with PEM text.
        done(null, key as unknown as string);
      },
    });
  }

  /**
   * A token seen before and not yet expired is not verified again (its
   * signature cannot have changed); the revocation check runs every time.
   */
  override authenticate(request: Request, options?: unknown): void {
    const token = extractToken(request);
    const claims = token ? this.verified.get(token) : undefined;
    if (claims && claims.exp * 1000 > Date.now()) {
      const principal = this.principalOf(claims);
      const strategy = this as unknown as PassportActions;
      if (principal) strategy.success(principal);
      else strategy.fail('invalid token', 401);
      return;
    }
    super.authenticate(request, options);
  }

  validate(request: Request, claims: Record<string, unknown>): Principal | false {
    if (!isComplete(claims)) return false;
    const principal = this.principalOf(claims);
    const token = extractToken(request);
    if (principal && token) {
      if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value as string);
      this.verified.set(token, claims);
    }
    return principal;
  }

  private principalOf(claims: VerifiedClaims): Principal | false {
    if (this.revoked.isRevoked(claims.sid)) return false;
    return principalFromClaims(claims);
  }
}
