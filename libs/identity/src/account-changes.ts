import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Answer, DomainError, Keyset, type KeysetColumn, type Page } from '@app/common';
import { AuditLog, type RequestAudit } from '@app/audit';
import type { Role } from '@app/authz';
import {
  AccountWrites,
  administered,
  type Requester,
  type TemporaryPassword,
  withoutSecondFactor,
} from './account-writes';
import { type AccountChangeKind, RoleChange } from './entities/role-change.entity';
import { User } from './entities/user.entity';
import { PasswordHasher } from './password/password-hasher';
import { Sessions } from './sessions';
import { type RoleChangeView, toRoleChangeView, toUserView, type UserView } from './views';

const OLDEST_FIRST: KeysetColumn[] = [
  { sql: 'c.requested_at', kind: 'time' },
  { sql: 'c.id', kind: 'uuid' },
];

export interface UserChanges {
  displayName?: string;
  role?: Role;
  region?: string | null;
  office?: string | null;
  email?: string | null;
  active?: boolean;
}

/** What a held change gives: a role, with the region of an officer or the UIKS office of a clerk. */
export interface AccountReach {
  role: Role;
  region: string | null;
  office: string | null;
}

/**
 * Changes of an account held for a second admin: a role, the activation of
 * a new account, a password or second-factor reset. One admin requests,
 * another (never the account itself) confirms.
 */
@Injectable()
export class AccountChanges {
  constructor(
    private readonly hasher: PasswordHasher,
    private readonly sessions: Sessions,
    private readonly log: AuditLog,
    private readonly accounts: AccountWrites,
  ) {}

  /** The pending role changes, oldest first. */
  async list(audit: RequestAudit, page: { limit?: number; cursor?: string }): Promise<Page<RoleChangeView>> {
    audit.on('user');
    return this.log.transaction(audit, async (manager) => {
      const query = manager.getRepository(RoleChange).createQueryBuilder('c').where(`c.status = 'pending'`);
      const found = await new Keyset(OLDEST_FIRST, page).pageOf(query, toRoleChangeView);
      audit.resultCount = found.items.length;
      return found;
    });
  }

  /**
   * Applies a pending change requested by another admin: a role (to the role
   * and region the account had when requested), an activation, or a reset.
   * A role change or reset ends the account's sessions. A password reset and
   * an activation answer a temporary password to the confirming admin only:
   * an activated account never signs in with the password its creator chose.
   */
  async confirm(
    audit: RequestAudit,
    confirmer: string,
    id: string,
    changeId: string,
  ): Promise<UserView | TemporaryPassword> {
    audit.on('user', id);
    const temporaryPassword = randomBytes(18).toString('base64url');
    const passwordHash = await this.hasher.hash(temporaryPassword);
    return this.log.transaction(audit, async (manager) => {
      const user = await this.accounts.locked(manager, id);
      const change = await manager
        .getRepository(RoleChange)
        .findOne({ where: { id: changeId, userId: id }, lock: { mode: 'pessimistic_write' } });
      if (!change) throw DomainError.notFound('No such pending change of this account.');
      audit.details = { roleChange: change.id, kind: change.kind, requestedBy: change.requestedBy };
      if (confirmer === change.requestedBy || confirmer === id) {
        throw new DomainError(
          'forbidden',
          'A change is confirmed by another admin than the one who requested it, and never by its own account.',
        );
      }
      if (change.status !== 'pending') throw DomainError.conflict(`The change is ${change.status}.`);
      // A role change applies to the role and region it was requested from; an activation to the role it was created with.
      const from =
        change.kind === 'activation'
          ? { role: change.role, region: change.region, office: change.office }
          : { role: change.fromRole, region: change.fromRegion, office: change.fromOffice };
      if (
        (change.kind === 'role' || change.kind === 'activation') &&
        (user.role !== from.role || user.region !== from.region || user.office !== from.office)
      ) {
        throw DomainError.conflict('The account’s role, region or office changed since the request; request it again.');
      }
      const before = administered(toUserView(user));
      await manager.query(
        `UPDATE user_role_changes SET status = 'confirmed', decided_by = $2, decided_at = now() WHERE id = $1`,
        [change.id, confirmer],
      );
      if (change.kind === 'activation') {
        // The creating admin chose the password and could sign in first: the account starts with a temporary
        // password, answered to the confirming admin only, and no second factor enrolled before it.
        Object.assign(user, { active: true, role: change.role, region: change.region, office: change.office });
        withoutSecondFactor(user);
        audit.details = { ...audit.details, before, after: administered(toUserView(user)) };
      }
      if (change.kind === 'password_reset' || change.kind === 'activation') {
        await this.accounts.resetPassword(manager, user, passwordHash);
        return { temporaryPassword };
      }
      if (change.kind === 'mfa_reset') {
        const view = toUserView(await this.accounts.resetMfa(manager, user));
        audit.details = { ...audit.details, before, after: administered(view) };
        return view;
      }
      Object.assign(user, { role: change.role, region: change.region, office: change.office });
      const saved = await manager.getRepository(User).save(user);
      await this.sessions.revoke(manager, { userId: id }, 'role_changed');
      const view = toUserView(saved);
      audit.details = { ...audit.details, before, after: administered(view) };
      return view;
    });
  }

  /** Records the requested role, region and office as a pending change; the account itself is not changed. */
  async requestRole(
    manager: EntityManager,
    audit: RequestAudit,
    requester: Requester,
    user: User,
    changes: UserChanges,
    requested: AccountReach,
  ): Promise<Answer<RoleChangeView>> {
    // The pending change is the whole answer: nothing else of the request is applied.
    const others = (['displayName', 'email', 'active'] as const).filter((field) => changes[field] !== undefined);
    if (others.length > 0) {
      throw DomainError.validation(
        others.map((field) => ({ field, message: 'cannot change with a new role; send it separately' })),
      );
    }
    // The command line has no second admin to confirm: an operator grants a role by creating the account.
    if (requester === null) throw new DomainError('forbidden', 'A role is granted by two admins.');
    const change = await this.hold(manager, requester, user, 'role', requested);
    audit.action = 'user.role_change_request';
    audit.flagged = true;
    audit.details = { before: administered(toUserView(user)), requested, roleChange: change.id };
    // Held for another admin: 202.
    return new Answer(toRoleChangeView(change), 202);
  }

  /**
   * Records a change held for another admin; a pending one of the same kind
   * is superseded. `requested`: the role and region it gives (a role change or
   * an activation); a reset keeps the account's own.
   */
  async hold(
    manager: EntityManager,
    requester: string,
    user: User,
    kind: AccountChangeKind,
    requested: AccountReach = { role: user.role, region: user.region, office: user.office },
  ): Promise<RoleChange> {
    await this.supersede(manager, user.id, requester, kind);
    return manager.getRepository(RoleChange).save(
      manager.getRepository(RoleChange).create({
        userId: user.id,
        kind,
        role: requested.role,
        region: requested.region,
        office: requested.office,
        fromRole: kind === 'activation' ? null : user.role,
        fromRegion: kind === 'activation' ? null : user.region,
        fromOffice: kind === 'activation' ? null : user.office,
        requestedBy: requester,
      }),
    );
  }

  /**
   * A reset of an account by an admin is held for another admin: the pending
   * change, recorded (202). Not of the admin's own account (403): the
   * database refuses a change requested by its account, and one's own
   * password is changed with the current one (POST /auth/password).
   */
  async holdReset(
    manager: EntityManager,
    audit: RequestAudit,
    requester: string,
    user: User,
    kind: 'password_reset' | 'mfa_reset',
  ): Promise<Answer<RoleChangeView>> {
    if (requester === user.id) {
      audit.flagged = true;
      throw new DomainError(
        'forbidden',
        'No one resets their own password or second factor through account administration.',
      );
    }
    const change = await this.hold(manager, requester, user, kind);
    audit.action = `user.${kind}_request`;
    audit.details = { roleChange: change.id, kind };
    return new Answer(toRoleChangeView(change), 202);
  }

  async pending(manager: EntityManager, id: string, kind: AccountChangeKind): Promise<boolean> {
    return manager.getRepository(RoleChange).existsBy({ userId: id, kind, status: 'pending' });
  }

  /** A pending change of a kind is overtaken by a newer request, and a role change by any other change of the account's role or region. */
  async supersede(
    manager: EntityManager,
    id: string,
    decidedBy: Requester,
    kind: AccountChangeKind = 'role',
  ): Promise<void> {
    await manager.query(
      `UPDATE user_role_changes SET status = 'superseded', decided_by = $2, decided_at = now()
        WHERE user_id = $1 AND kind = $3 AND status = 'pending'`,
      [id, decidedBy, kind],
    );
  }
}
