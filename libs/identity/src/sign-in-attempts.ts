import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig, returnedRows } from '@app/common';
import type { RequestAudit } from '@app/audit';

/** An attempt that holds one of the account's slots: its secrets may be checked. */
export interface HeldAttempt {
  userId: string;
  /** Its place among the slots claimed in the account's current window (1 to LOGIN_MAX_FAILURES). */
  slot: number;
}

/**
 * Claims a slot, in one statement, before anything is checked. A slot counts
 * as a failure from the moment it is claimed (`failed_logins`), so attempts in
 * flight count as much as finished ones. When every slot is taken the next
 * claim is refused, and locks the account if no failure has yet: an attempt
 * that crashed holding a slot then ends with the lock instead of blocking the
 * account for ever. A lock that has run out opens a new window.
 */
const CLAIM = `
  WITH current AS (SELECT id, failed_logins, locked_until FROM users WHERE id = $1 FOR UPDATE)
  UPDATE users u SET
      failed_logins = CASE
        WHEN c.locked_until <= now() THEN 1
        WHEN c.locked_until IS NULL AND c.failed_logins < $2 THEN c.failed_logins + 1
        ELSE c.failed_logins END,
      locked_until = CASE
        WHEN c.locked_until <= now() THEN NULL
        WHEN c.locked_until IS NULL AND c.failed_logins >= $2 THEN now() + make_interval(secs => $3)
        ELSE c.locked_until END
    FROM current c
   WHERE u.id = c.id
  RETURNING u.failed_logins AS slot, u.locked_until IS NULL AS granted,
            c.locked_until IS NULL AND u.locked_until IS NOT NULL AS locked_now`;

/** A wrong guess: its slot stays counted; the one that finds every slot taken locks the account. */
const FAILED = `
  UPDATE users SET locked_until = now() + make_interval(secs => $3)
   WHERE id = $1 AND locked_until IS NULL AND failed_logins >= $2
  RETURNING id`;

/**
 * Right secrets: the count starts again only if no attempt claimed a slot
 * after this one (otherwise their guesses stay counted), and never while the
 * account is locked: a success that races a lock neither clears it nor
 * signs in.
 */
const PASSED = `
  UPDATE users SET failed_logins = CASE WHEN failed_logins = $2 THEN 0 ELSE failed_logins END
   WHERE id = $1 AND locked_until IS NULL
  RETURNING id`;

/** Nothing wrong was guessed (a right password, no code yet): the slot is given back. */
const RELEASED = `UPDATE users SET failed_logins = failed_logins - 1 WHERE id = $1 AND failed_logins > 0`;

/**
 * Bounds the guesses at an account's secrets (its password, its TOTP code),
 * whatever the concurrency: at most LOGIN_MAX_FAILURES are checked before
 * the account is locked for LOGIN_LOCK_MINUTES. Every route that checks a
 * secret of a known account goes through here.
 */
@Injectable()
export class SignInAttempts {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** A slot for this attempt, or null (locked, or every slot taken): then nothing may be checked. */
  async claim(audit: RequestAudit, userId: string): Promise<HeldAttempt | null> {
    const { maxFailedLogins, lockMs } = this.config.identity;
    const [row] = returnedRows<{ slot: number; granted: boolean; locked_now: boolean }>(
      await this.dataSource.query(CLAIM, [userId, maxFailedLogins, lockMs / 1000]),
    );
    if (row?.locked_now) lockedOut(audit);
    return row?.granted ? { userId, slot: row.slot } : null;
  }

  async failed(audit: RequestAudit, attempt: HeldAttempt): Promise<void> {
    const { maxFailedLogins, lockMs } = this.config.identity;
    const rows = returnedRows(await this.dataSource.query(FAILED, [attempt.userId, maxFailedLogins, lockMs / 1000]));
    if (rows.length > 0) lockedOut(audit);
  }

  /** False when the account was locked while the secrets were checked: answer as for a wrong one. */
  async passed(attempt: HeldAttempt): Promise<boolean> {
    return returnedRows(await this.dataSource.query(PASSED, [attempt.userId, attempt.slot])).length > 0;
  }

  async released(attempt: HeldAttempt): Promise<void> {
    await this.dataSource.query(RELEASED, [attempt.userId]);
  }

  /**
   * One secret checked under a slot: `check(held)` runs in any case, so an
   * attempt without a slot costs the same time, but counts only when held
   * (the caller checks against nothing when it is not). True only for a right
   * secret on an account that is not locked.
   */
  async guard(audit: RequestAudit, userId: string, check: (held: boolean) => Promise<boolean>): Promise<boolean> {
    const attempt = await this.claim(audit, userId);
    const right = await check(attempt !== null);
    if (!attempt) return false;
    if (!right) {
      await this.failed(audit, attempt);
      return false;
    }
    return this.passed(attempt);
  }
}

/** The attempt that locked the account is recorded as the lockout, a flagged event. */
function lockedOut(audit: RequestAudit): void {
  audit.action = 'auth.lockout';
  audit.flagged = true;
}
