import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import jwt from 'jsonwebtoken';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig } from '@app/common';
import { JWT_STRATEGY, type Principal, isRole } from '@app/authz';
import { IdentitySecrets } from '../secrets/identity-secrets';
import { type AccessClaims, ALGORITHM, principalFromClaims } from './access-tokens';
import { RevokedSessions } from './revoked-sessions';

/**
 * Verifies bearer tokens: ES256 only (no `none`, no HMAC), a known `kid`,
 * our issuer and audience, not expired, and a session not revoked.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(
    secrets: IdentitySecrets,
    config: AppConfig,
    private readonly revoked: RevokedSessions,
  ) {
    const pems = new Map(
      secrets.verification.map(({ kid, publicKey }) => [
        kid,
        publicKey.export({ format: 'pem', type: 'spki' }).toString(),
      ]),
    );
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      algorithms: [ALGORITHM],
      issuer: config.identity.issuer,
      audience: config.identity.audience,
      ignoreExpiration: false,
      secretOrKeyProvider: (_request, rawJwt, done) => {
        const header = jwt.decode(rawJwt, { complete: true })?.header;
        const key = header?.alg === ALGORITHM && header.kid ? pems.get(header.kid) : undefined;
        if (!key) return done(new Error('unknown key'));
        done(null, key);
      },
    });
  }

  validate(claims: AccessClaims): Principal | false {
    if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string' || !isRole(claims.role)) return false;
    if (this.revoked.isRevoked(claims.sid)) return false;
    return principalFromClaims(claims);
  }
}
