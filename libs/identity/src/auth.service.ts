import { Injectable } from '@nestjs/common';
import { ApiProperty, OmitType } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { affectedCount, AppConfig, DomainError } from '@app/common';
import { AbilityFactory, type Principal } from '@app/authz';
import { actorOf, AuditKeys, AuditLog, Refusal, type RequestAudit } from '@app/audit';
import { User } from './entities/user.entity';
import { SecretBox } from './mfa/secret-box';
import { newTotpSecret, totpUri, verifyTotp } from './mfa/totp';
import { PasswordHasher } from './password/password-hasher';
import { passwordProblem } from './password/password-policy';
import { IdentitySecrets } from './secrets/identity-secrets';
import { hashRefreshToken, Sessions } from './sessions';
import { SignInAttempts } from './sign-in-attempts';
import { AccessTokens } from './tokens/access-tokens';
import { type TokenPair, toUserView, UserView } from './views';

/** Lifetime of the token a temporary password buys: enough to choose a new password. */
const PASSWORD_CHANGE_TOKEN_SECONDS = 300;

export class MeView extends OmitType(UserView, [
  'createdAt',
  'updatedAt',
  'version',
  'active',
  'lockedUntil',
  'passwordMustChange',
] as const) {
  @ApiProperty({
    type: 'array',
    items: {},
    description: 'The rules of the role (CASL, packed): what the console may offer',
    example: [['read', 'Person']],
  })
  permissions!: unknown[];
}

/** An authenticator being enrolled: the secret, shown once, and the URI a QR code carries. */
export class MfaEnrolment {
  @ApiProperty({ example: 'otpauth://totp/Posebna%20evidencija:m.jovanovic?secret=JBSWY3DPEHPK3PXP' })
  otpauthUrl!: string;

  @ApiProperty({ example: 'JBSWY3DPEHPK3PXP' })
  secret!: string;
}

/** One answer for every failed sign-in, whatever the reason: nothing to tell accounts apart. */
export function signInRefused(): DomainError {
  return new DomainError('unauthenticated', 'The username or password is not correct.');
}

function otpRequired(): DomainError {
  return new DomainError('otp_required', 'Enter the current code from your authenticator app.');
}

function sessionEnded(): DomainError {
  return new DomainError('unauthenticated', 'The session has ended; sign in again.');
}

interface RefreshRow {
  token_id: string;
  spent_at: Date | null;
  session_id: string;
  mfa_verified: boolean;
  last_refreshed_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  user_id: string;
}

@Injectable()
export class AuthService {
  private readonly box: SecretBox;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly tokens: AccessTokens,
    private readonly hasher: PasswordHasher,
    private readonly sessions: Sessions,
    private readonly abilities: AbilityFactory,
    private readonly log: AuditLog,
    private readonly auditKeys: AuditKeys,
    private readonly attempts: SignInAttempts,
    secrets: IdentitySecrets,
  ) {
    this.box = new SecretBox(secrets.mfaKey);
  }

  async login(audit: RequestAudit, username: string, password: string, otp: string | undefined): Promise<TokenPair> {
    const users = this.dataSource.getRepository(User);
    const user = await users
      .createQueryBuilder('u')
      .where('lower(u.username) = lower(:username)', { username })
      .getOne();
    // A failure keeps the username when it names an account, otherwise only a keyed hash of it.
    audit.actor = user
      ? { ...actorOf(this.principalOf(user, '', false)) }
      : { userId: null, username: this.auditKeys.hashUsername(username), role: null, organisation: null, region: null };
    audit.on('user', user?.id ?? null);
    audit.action = 'auth.login_failed';
    // The slot is claimed before anything is checked (SignInAttempts); without one, the password is
    // checked against a dummy hash, so an unknown, deactivated or locked account costs the same time.
    const attempt = user?.active ? await this.attempts.claim(audit, user.id) : null;
    const passwordOk = await this.hasher.verify(user && attempt ? user.passwordHash : null, password);
    if (!user || !attempt) throw signInRefused();
    if (!passwordOk) {
      await this.attempts.failed(audit, attempt);
      throw signInRefused();
    }
    let mfaVerified = false;
    if (user.mfaSecret !== null) {
      if (!otp) {
        await this.attempts.released(attempt);
        throw otpRequired();
      }
      if (!(await this.consumeTotp(this.dataSource.manager, user, user.mfaSecret, otp))) {
        await this.attempts.failed(audit, attempt);
        throw otpRequired();
      }
      mfaVerified = true;
    }
    // Locked while the secrets were checked: the lock stands, and this answer is a wrong password's.
    if (!(await this.attempts.passed(attempt))) throw signInRefused();
    audit.action = 'auth.login';
    if (user.passwordMustChange) return this.passwordChangeOnly(user, mfaVerified);
    return this.log.transaction(audit, async (manager) => {
      const session = await this.sessions.open(manager, user.id, mfaVerified);
      const principal = this.principalOf(user, session.id, mfaVerified);
      return this.tokenPair(principal, await this.sessions.issueRefreshToken(manager, session.id));
    });
  }

  /** The temporary password buys only a short token that can change the password. */
  private async passwordChangeOnly(user: User, mfaVerified: boolean): Promise<never> {
    const session = await this.sessions.open(this.dataSource.manager, user.id, mfaVerified);
    const principal = this.principalOf(user, session.id, mfaVerified);
    const token = this.tokens.sign({ ...principal, scope: 'password_change' }, PASSWORD_CHANGE_TOKEN_SECONDS);
    throw new DomainError(
      'password_change_required',
      'The password was reset: choose a new one with POST /api/v1/auth/password using this accessToken.',
      undefined,
      undefined,
      { accessToken: token, tokenType: 'Bearer', expiresIn: PASSWORD_CHANGE_TOKEN_SECONDS },
    );
  }

  /** Rotates the refresh token; a spent one presented again ends its whole session. */
  async refresh(audit: RequestAudit, refreshToken: string): Promise<TokenPair> {
    // Refusals are recorded with the work (a reuse revokes the session in the same transaction).
    const refuse = (action: string, flagged = false) => {
      audit.action = action;
      audit.flagged = flagged;
      return new Refusal(sessionEnded());
    };
    return this.log.transaction(audit, async (manager) => {
      const rows: RefreshRow[] = await manager.query(
        `SELECT rt.id AS token_id, rt.spent_at, s.id AS session_id, s.mfa_verified, s.last_refreshed_at,
                s.expires_at, s.revoked_at, s.user_id
           FROM refresh_tokens rt JOIN sessions s ON s.id = rt.session_id
          WHERE rt.token_hash = $1
          FOR UPDATE OF rt, s`,
        [hashRefreshToken(refreshToken)],
      );
      const row = rows[0];
      if (!row) return refuse('auth.refresh_failed');
      audit.on('session', row.session_id);
      const user = await manager.getRepository(User).findOneBy({ id: row.user_id });
      if (user) audit.actor = actorOf(this.principalOf(user, row.session_id, row.mfa_verified));
      if (row.spent_at !== null) {
        await this.sessions.revoke(manager, { sessionId: row.session_id }, 'refresh_reuse');
        return refuse('auth.refresh_reuse', true);
      }
      const live = this.sessions.isLive({
        revokedAt: row.revoked_at,
        lastRefreshedAt: row.last_refreshed_at,
        expiresAt: row.expires_at,
      });
      if (!live || !user || !user.active) return refuse('auth.refresh_failed');
      await manager.query(`UPDATE refresh_tokens SET spent_at = now() WHERE id = $1`, [row.token_id]);
      await manager.query(`UPDATE sessions SET last_refreshed_at = now() WHERE id = $1`, [row.session_id]);
      const next = await this.sessions.issueRefreshToken(manager, row.session_id);
      return this.tokenPair(this.principalOf(user, row.session_id, row.mfa_verified), next);
    });
  }

  async logout(audit: RequestAudit, principal: Principal): Promise<void> {
    audit.on('session', principal.sessionId);
    await this.log.transaction(audit, (manager) =>
      this.sessions.revoke(manager, { sessionId: principal.sessionId }, 'logout'),
    );
  }

  /** Changes the caller's password; every session of the account ends (sign in again). */
  async changePassword(
    audit: RequestAudit,
    principal: Principal,
    currentPassword: string,
    newPassword: string,
  ): Promise<void> {
    audit.on('user', principal.userId);
    const user = await this.activeUser(principal);
    const right = await this.attempts.guard(audit, user.id, (held) =>
      this.hasher.verify(held ? user.passwordHash : null, currentPassword),
    );
    // A locked account's current password is refused like a wrong one: a stolen session cannot keep guessing.
    if (!right) throw DomainError.validation([{ field: 'currentPassword', message: 'is not correct' }]);
    const problem = passwordProblem(newPassword, user.username);
    if (problem) throw DomainError.validation([{ field: 'newPassword', message: problem }]);
    if (newPassword === currentPassword) {
      throw DomainError.validation([{ field: 'newPassword', message: 'must differ from the current password' }]);
    }
    const passwordHash = await this.hasher.hash(newPassword);
    await this.log.transaction(audit, async (manager) => {
      // Only these columns: saving the account read before the check would write back a stale count or lock.
      await manager
        .getRepository(User)
        .update({ id: user.id }, { passwordHash, passwordMustChange: false, passwordChangedAt: new Date() });
      await this.sessions.revoke(manager, { userId: user.id }, 'password_changed');
    });
  }

  async me(audit: RequestAudit, principal: Principal): Promise<MeView> {
    audit.on('user', principal.userId);
    const user = await this.log.transaction(audit, (manager) => this.activeUser(principal, manager));
    const view = toUserView(user);
    return {
      id: view.id,
      username: view.username,
      displayName: view.displayName,
      role: view.role,
      organisation: view.organisation,
      region: view.region,
      office: view.office,
      email: view.email,
      mfaEnrolled: view.mfaEnrolled,
      permissions: this.abilities.packedRules(principal),
    };
  }

  /** Starts (re-)enrolment of an authenticator; an enrolled account must prove its current one. */
  async enrollMfa(
    audit: RequestAudit,
    principal: Principal,
    otp: string | undefined,
  ): Promise<{ otpauthUrl: string; secret: string }> {
    audit.on('user', principal.userId);
    const user = await this.activeUser(principal);
    const { mfaSecret } = user;
    if (mfaSecret !== null) {
      if (!otp) throw otpRequired();
      const right = await this.attempts.guard(
        audit,
        user.id,
        async (held) => held && (await this.consumeTotp(this.dataSource.manager, user, mfaSecret, otp)),
      );
      if (!right) throw otpRequired();
    }
    const secret = newTotpSecret();
    await this.log.transaction(audit, (manager) =>
      manager.getRepository(User).update({ id: user.id }, { mfaPendingSecret: this.box.seal(secret, user.id) }),
    );
    return { otpauthUrl: totpUri(secret, this.config.identity.mfaIssuer, user.username), secret };
  }

  /** Activates the enrolled authenticator with a code from it; sign in again to use it. */
  async activateMfa(audit: RequestAudit, principal: Principal, otp: string): Promise<void> {
    audit.on('user', principal.userId);
    const user = await this.activeUser(principal);
    if (user.mfaPendingSecret === null) throw DomainError.conflict('No authenticator is being enrolled.');
    const step = await verifyTotp(this.box.open(user.mfaPendingSecret, user.id), otp, null);
    if (step === null) throw DomainError.validation([{ field: 'otp', message: 'is not a current code' }]);
    await this.log.transaction(audit, (manager) =>
      manager.getRepository(User).update(
        { id: user.id },
        {
          mfaSecret: user.mfaPendingSecret,
          mfaPendingSecret: null,
          mfaEnrolledAt: new Date(),
          totpLastStep: String(step),
        },
      ),
    );
  }

  private principalOf(user: User, sessionId: string, mfa: boolean): Principal {
    return {
      userId: user.id,
      username: user.username,
      role: user.role,
      region: user.region,
      office: user.office,
      organisation: user.organisation,
      sessionId,
      mfa,
      scope: 'full',
    };
  }

  private tokenPair(principal: Principal, refreshToken: string): TokenPair {
    return {
      accessToken: this.tokens.sign(principal),
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: this.tokens.ttlSeconds,
    };
  }

  /** Within a transaction, its manager: a second connection per request can deadlock a busy pool. */
  private async activeUser(principal: Principal, manager = this.dataSource.manager): Promise<User> {
    const user = await manager.getRepository(User).findOneBy({ id: principal.userId });
    if (!user || !user.active) throw sessionEnded();
    return user;
  }

  /** Accepts a code once: its time step must be newer than the last one accepted. */
  private async consumeTotp(manager: EntityManager, user: User, sealed: string, code: string): Promise<boolean> {
    const last = user.totpLastStep === null ? null : Number(user.totpLastStep);
    const step = await verifyTotp(this.box.open(sealed, user.id), code, last);
    if (step === null) return false;
    const result = await manager.query(
      `UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)`,
      [user.id, step],
    );
    return affectedCount(result) > 0;
  }
}
