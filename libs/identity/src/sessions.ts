import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AppConfig, returnedRows } from '@app/common';
import { RefreshToken } from './entities/refresh-token.entity';
import { Session, type SessionEndReason } from './entities/session.entity';
import { RevokedSessions } from './tokens/revoked-sessions';

export function hashRefreshToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Opening, rotating and ending sessions; every call runs in the caller's transaction. */
@Injectable()
export class Sessions {
  constructor(
    private readonly config: AppConfig,
    private readonly revoked: RevokedSessions,
  ) {}

  async open(manager: EntityManager, userId: string, mfaVerified: boolean): Promise<Session> {
    const now = new Date();
    return manager.getRepository(Session).save({
      userId,
      mfaVerified,
      createdAt: now,
      lastRefreshedAt: now,
      expiresAt: new Date(now.getTime() + this.config.identity.sessionMaxMs),
      revokedAt: null,
      revokedReason: null,
    });
  }

  /** A new refresh token for the session: 256 random bits, stored only as a hash. */
  async issueRefreshToken(manager: EntityManager, sessionId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await manager.getRepository(RefreshToken).insert({ sessionId, tokenHash: hashRefreshToken(token) });
    return token;
  }

  /** Live: not revoked, refreshed within the idle limit, before the absolute end. */
  isLive(session: Pick<Session, 'revokedAt' | 'lastRefreshedAt' | 'expiresAt'>, now = new Date()): boolean {
    return (
      session.revokedAt === null &&
      now.getTime() - session.lastRefreshedAt.getTime() <= this.config.identity.sessionIdleMs &&
      now < session.expiresAt
    );
  }

  /** Ends sessions; this instance refuses their tokens at once, the others within seconds. */
  async revoke(
    manager: EntityManager,
    target: { sessionId: string } | { userId: string },
    reason: SessionEndReason,
  ): Promise<string[]> {
    const [column, value] = 'sessionId' in target ? ['id', target.sessionId] : ['user_id', target.userId];
    const result: unknown = await manager.query(
      `UPDATE sessions SET revoked_at = now(), revoked_reason = $2
        WHERE ${column} = $1 AND revoked_at IS NULL RETURNING id`,
      [value, reason],
    );
    const ids = returnedRows<{ id: string }>(result).map((row) => row.id);
    this.revoked.add(ids);
    return ids;
  }
}
