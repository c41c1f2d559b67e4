import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import {
  Answer,
  DomainError,
  type FieldError,
  Keyset,
  type KeysetColumn,
  type Page,
  versionMismatch,
} from '@app/common';
import { AuditLog, type RequestAudit } from '@app/audit';
import { type Role, roleHasRegion } from '@app/authz';
import { type AccountChangeKind, RoleChange } from './entities/role-change.entity';
import { User } from './entities/user.entity';
import { PasswordHasher } from './password/password-hasher';
import { passwordProblem } from './password/password-policy';
import { PoliceAdministration } from './reference/police-administration.entity';
import { Sessions } from './sessions';
import { type CreatedUserView, type RoleChangeView, toRoleChangeView, toUserView, type UserView } from './views';

const BY_USERNAME: KeysetColumn[] = [
  { sql: 'lower(u.username)', kind: 'text' },
  { sql: 'u.id', kind: 'uuid' },
];

const OLDEST_FIRST: KeysetColumn[] = [
  { sql: 'c.requested_at', kind: 'time' },
  { sql: 'c.id', kind: 'uuid' },
];

export interface NewUser {
  username: string;
  password: string;
  displayName?: string;
  role: Role;
  organisation: string;
  region?: string | null;
  email?: string | null;
}

export interface UserChanges {
  displayName?: string;
  role?: Role;
  region?: string | null;
  email?: string | null;
  active?: boolean;
}

export interface UserFilter {
  role?: Role;
  region?: string;
  active?: boolean;
  limit?: number;
  cursor?: string;
}

/** The administered attributes of an account, for before/after in the audit log (no secrets). */
function administered(view: UserView): Record<string, unknown> {
  return {
    username: view.username,
    displayName: view.displayName,
    role: view.role,
    organisation: view.organisation,
    region: view.region,
    email: view.email,
    active: view.active,
  };
}

/** Removes the account's authenticator, enrolled or pending: its user enrols again. */
function withoutSecondFactor(user: User): void {
  Object.assign(user, { mfaSecret: null, mfaPendingSecret: null, mfaEnrolledAt: null, totpLastStep: null });
}

function userNotFound(): DomainError {
  return DomainError.notFound('No such user.');
}

export interface TemporaryPassword {
  temporaryPassword: string;
}

/** Who asks for a change of an account: an admin's account id, or null for an operator at the command line. */
export type Requester = string | null;

/** Account administration (the admin's routes and the operators' CLI). */
@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly sessions: Sessions,
    private readonly log: AuditLog,
  ) {}

  /**
   * A new account. Created by an admin, whatever its role, it is inactive
   * until another admin confirms its activation (a pending change, its id in
   * the answer); an operator at the command line creates it active.
   */
  async create(audit: RequestAudit, requester: Requester, input: NewUser): Promise<CreatedUserView> {
    audit.on('user');
    const errors = await this.regionErrors(this.dataSource.manager, input.role, input.region ?? null);
    const problem = passwordProblem(input.password, input.username);
    if (problem) errors.push({ field: 'password', message: problem });
    if (errors.length > 0) throw DomainError.validation(errors);
    const passwordHash = await this.hasher.hash(input.password);
    return this.log.transaction(audit, async (manager) => {
      const taken = await manager
        .getRepository(User)
        .createQueryBuilder('u')
        .where('lower(u.username) = lower(:username)', { username: input.username })
        .getExists();
      if (taken) throw DomainError.conflict('That username is taken.');
      const held = requester !== null;
      const user = await manager.getRepository(User).save(
        manager.getRepository(User).create({
          active: !held,
          username: input.username,
          displayName: input.displayName ?? input.username,
          role: input.role,
          organisation: input.organisation,
          region: input.region ?? null,
          email: input.email ?? null,
          passwordHash,
        }),
      );
      const view = toUserView(user);
      audit.on('user', view.id);
      // Creating an account grants a role: a flagged event with what was granted.
      audit.flagged = true;
      audit.details = { after: administered(view) };
      if (!held) return view;
      const change = await this.hold(manager, requester, user, 'activation');
      audit.details = { ...audit.details, pendingChange: change.id };
      return { ...view, pendingChangeId: change.id };
    });
  }

  async list(audit: RequestAudit, filter: UserFilter): Promise<Page<UserView>> {
    audit.on('user');
    return this.log.transaction(audit, async (manager) => {
      const query = manager.getRepository(User).createQueryBuilder('u');
      if (filter.role) query.andWhere('u.role = :role', { role: filter.role });
      if (filter.region) query.andWhere('u.region = :region', { region: filter.region });
      if (filter.active !== undefined) query.andWhere('u.active = :active', { active: filter.active });
      const page = await new Keyset(BY_USERNAME, filter).pageOf(query, toUserView);
      audit.resultCount = page.items.length;
      return page;
    });
  }

  async get(audit: RequestAudit, id: string): Promise<UserView> {
    audit.on('user', id);
    return this.log.transaction(audit, async (manager) => {
      const user = await manager.getRepository(User).findOneBy({ id });
      if (!user) throw userNotFound();
      audit.resultCount = 1;
      return toUserView(user);
    });
  }

  /**
   * Applies changes at the version the caller read; a new role or region, or
   * deactivation, ends the sessions. No one changes their own role, region or
   * active state (403), and a new role, admin included, is not applied: it
   * becomes a pending change (202) that another admin confirms.
   */
  async update(
    audit: RequestAudit,
    requester: Requester,
    id: string,
    version: number,
    changes: UserChanges,
  ): Promise<Answer<UserView | RoleChangeView>> {
    audit.on('user', id);
    return this.log.transaction(audit, async (manager) => {
      const user = await this.lockedUser(manager, id);
      const role = changes.role ?? user.role;
      const region = changes.region !== undefined ? changes.region : roleHasRegion(role) ? user.region : null;
      const accessChanged = role !== user.role || region !== user.region;
      const activeChanged = changes.active !== undefined && changes.active !== user.active;
      if (requester === id && (accessChanged || activeChanged)) {
        audit.flagged = true;
        throw new DomainError('forbidden', 'No one may change their own role, region or active state.');
      }
      if (user.version !== version) throw versionMismatch();
      if ((accessChanged || activeChanged) && (await this.pending(manager, id, 'activation'))) {
        throw DomainError.conflict(
          'The account waits for another admin to confirm its activation; its role, region and active state wait too.',
        );
      }
      const before = administered(toUserView(user));
      const errors = await this.regionErrors(manager, role, region);
      if (errors.length > 0) throw DomainError.validation(errors);
      if (role !== user.role) {
        return this.requestRoleChange(manager, audit, requester, user, changes, { role, region });
      }
      const deactivated = changes.active === false && user.active;
      Object.assign(user, {
        displayName: changes.displayName ?? user.displayName,
        email: changes.email !== undefined ? changes.email : user.email,
        active: changes.active ?? user.active,
        role,
        region,
      });
      const saved = await manager.getRepository(User).save(user);
      if (accessChanged) await this.supersedeRoleChanges(manager, id, requester);
      if (deactivated) await this.sessions.revoke(manager, { userId: id }, 'deactivated');
      else if (accessChanged) await this.sessions.revoke(manager, { userId: id }, 'role_changed');
      const view = toUserView(saved);
      // A granted or changed role, region or activation is a flagged event.
      if (accessChanged || before.active !== view.active) audit.flagged = true;
      audit.details = { before, after: administered(view) };
      return new Answer<UserView | RoleChangeView>(view, 200);
    });
  }

  /** The pending role changes, oldest first. */
  async listRoleChanges(audit: RequestAudit, page: { limit?: number; cursor?: string }): Promise<Page<RoleChangeView>> {
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
  async confirmChange(
    audit: RequestAudit,
    confirmer: string,
    id: string,
    changeId: string,
  ): Promise<UserView | TemporaryPassword> {
    audit.on('user', id);
    const temporaryPassword = randomBytes(18).toString('base64url');
    const passwordHash = await this.hasher.hash(temporaryPassword);
    return this.log.transaction(audit, async (manager) => {
      const user = await this.lockedUser(manager, id);
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
          ? { role: change.role, region: change.region }
          : { role: change.fromRole, region: change.fromRegion };
      if (
        (change.kind === 'role' || change.kind === 'activation') &&
        (user.role !== from.role || user.region !== from.region)
      ) {
        throw DomainError.conflict('The account’s role or region changed since the request; request it again.');
      }
      const before = administered(toUserView(user));
      await manager.query(
        `UPDATE user_role_changes SET status = 'confirmed', decided_by = $2, decided_at = now() WHERE id = $1`,
        [change.id, confirmer],
      );
      if (change.kind === 'activation') {
        // The creating admin chose the password and could sign in first: the account starts with a temporary
        // password, answered to the confirming admin only, and no second factor enrolled before it.
        Object.assign(user, { active: true, role: change.role, region: change.region });
        withoutSecondFactor(user);
        audit.details = { ...audit.details, before, after: administered(toUserView(user)) };
      }
      if (change.kind === 'password_reset' || change.kind === 'activation') {
        await this.applyPasswordReset(manager, user, passwordHash);
        return { temporaryPassword };
      }
      if (change.kind === 'mfa_reset') {
        const view = toUserView(await this.applyMfaReset(manager, user));
        audit.details = { ...audit.details, before, after: administered(view) };
        return view;
      }
      Object.assign(user, { role: change.role, region: change.region });
      const saved = await manager.getRepository(User).save(user);
      await this.sessions.revoke(manager, { userId: id }, 'role_changed');
      const view = toUserView(saved);
      audit.details = { ...audit.details, before, after: administered(view) };
      return view;
    });
  }

  /** Records the requested role and region as a pending change; the account itself is not changed. */
  private async requestRoleChange(
    manager: EntityManager,
    audit: RequestAudit,
    requester: Requester,
    user: User,
    changes: UserChanges,
    requested: { role: Role; region: string | null },
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
  private async hold(
    manager: EntityManager,
    requester: string,
    user: User,
    kind: AccountChangeKind,
    requested: { role: Role; region: string | null } = { role: user.role, region: user.region },
  ): Promise<RoleChange> {
    await this.supersedeRoleChanges(manager, user.id, requester, kind);
    return manager.getRepository(RoleChange).save(
      manager.getRepository(RoleChange).create({
        userId: user.id,
        kind,
        role: requested.role,
        region: requested.region,
        fromRole: kind === 'activation' ? null : user.role,
        fromRegion: kind === 'activation' ? null : user.region,
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
  private async holdReset(
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

  private async pending(manager: EntityManager, id: string, kind: AccountChangeKind): Promise<boolean> {
    return manager.getRepository(RoleChange).existsBy({ userId: id, kind, status: 'pending' });
  }

  /** A pending change of a kind is overtaken by a newer request, and a role change by any other change of the account's role or region. */
  private async supersedeRoleChanges(
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

  /**
   * A temporary password, shown once; it only allows choosing a new one. An
   * admin's reset, of any account, is held for another admin (202, the
   * pending change): the confirming admin sees the password. An operator at
   * the command line resets at once.
   */
  async resetPassword(
    audit: RequestAudit,
    requester: Requester,
    id: string,
  ): Promise<Answer<TemporaryPassword | RoleChangeView>> {
    audit.on('user', id);
    const temporaryPassword = randomBytes(18).toString('base64url');
    const passwordHash = await this.hasher.hash(temporaryPassword);
    return this.log.transaction(audit, async (manager) => {
      const user = await this.lockedUser(manager, id);
      if (requester !== null) return this.holdReset(manager, audit, requester, user, 'password_reset');
      await this.applyPasswordReset(manager, user, passwordHash);
      return new Answer<TemporaryPassword | RoleChangeView>({ temporaryPassword }, 200);
    });
  }

  private async applyPasswordReset(manager: EntityManager, user: User, passwordHash: string): Promise<void> {
    Object.assign(user, {
      passwordHash,
      passwordMustChange: true,
      passwordChangedAt: new Date(),
      failedLogins: 0,
      lockedUntil: null,
    });
    await manager.getRepository(User).save(user);
    await this.sessions.revoke(manager, { userId: user.id }, 'password_reset');
  }

  /** Sets a password chosen by an operator (CLI); the policy applies. */
  async setPassword(audit: RequestAudit, username: string, password: string): Promise<void> {
    const user = await this.byUsername(username);
    audit.on('user', user.id);
    const problem = passwordProblem(password, user.username);
    if (problem) throw DomainError.validation([{ field: 'password', message: problem }]);
    const passwordHash = await this.hasher.hash(password);
    // Recorded with the change, like every other administration of an account.
    await this.log.transaction(audit, async (manager) => {
      const locked = await this.lockedUser(manager, user.id);
      Object.assign(locked, {
        passwordHash,
        passwordMustChange: false,
        passwordChangedAt: new Date(),
        failedLogins: 0,
        lockedUntil: null,
      });
      await manager.getRepository(User).save(locked);
      await this.sessions.revoke(manager, { userId: user.id }, 'password_reset');
    });
  }

  /** Removes the second factor (204, an operator); an admin's reset is held for another admin (202). */
  async resetMfa(audit: RequestAudit, requester: Requester, id: string): Promise<Answer<RoleChangeView | undefined>> {
    audit.on('user', id);
    return this.log.transaction(audit, async (manager) => {
      const user = await this.lockedUser(manager, id);
      if (requester !== null) return this.holdReset(manager, audit, requester, user, 'mfa_reset');
      await this.applyMfaReset(manager, user);
      return new Answer<RoleChangeView | undefined>(undefined, 204);
    });
  }

  private async applyMfaReset(manager: EntityManager, user: User): Promise<User> {
    withoutSecondFactor(user);
    const saved = await manager.getRepository(User).save(user);
    await this.sessions.revoke(manager, { userId: user.id }, 'mfa_reset');
    return saved;
  }

  async revokeSessions(audit: RequestAudit, id: string): Promise<void> {
    audit.on('user', id);
    await this.log.transaction(audit, async (manager) => {
      await this.lockedUser(manager, id);
      await this.sessions.revoke(manager, { userId: id }, 'admin_revoked');
    });
  }

  async deactivate(audit: RequestAudit, username: string): Promise<void> {
    const user = await this.byUsername(username);
    await this.update(audit, null, user.id, user.version, { active: false });
  }

  private async byUsername(username: string): Promise<User> {
    const user = await this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .where('lower(u.username) = lower(:username)', { username })
      .getOne();
    if (!user) throw userNotFound();
    return user;
  }

  private async lockedUser(manager: EntityManager, id: string): Promise<User> {
    const user = await manager.getRepository(User).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!user) throw userNotFound();
    return user;
  }

  /** A police officer needs a known police administration; the other roles have none. */
  private async regionErrors(manager: EntityManager, role: Role, region: string | null): Promise<FieldError[]> {
    if (!roleHasRegion(role)) {
      return region ? [{ field: 'region', message: `must be empty for the role ${role}` }] : [];
    }
    if (!region) return [{ field: 'region', message: 'is required for police officers' }];
    const known = await manager.getRepository(PoliceAdministration).existsBy({ code: region });
    return known ? [] : [{ field: 'region', message: 'is not a known police administration code' }];
  }
}
