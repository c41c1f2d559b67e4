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
import { User } from './entities/user.entity';
import { PasswordHasher } from './password/password-hasher';
import { passwordProblem } from './password/password-policy';
import { PoliceAdministration } from './reference/police-administration.entity';
import { UiksOffice } from './reference/uiks-office.entity';
import { AccountChanges, type UserChanges } from './account-changes';

export type { Requester } from './account-writes';
export { TemporaryPassword } from './account-writes';
export type { UserChanges } from './account-changes';
import { AccountWrites, administered, type Requester, type TemporaryPassword, userNotFound } from './account-writes';
import { Sessions } from './sessions';
import { type CreatedUserView, type RoleChangeView, toUserView, type UserView } from './views';

const BY_USERNAME: KeysetColumn[] = [
  { sql: 'lower(u.username)', kind: 'text' },
  { sql: 'u.id', kind: 'uuid' },
];

export interface NewUser {
  username: string;
  password: string;
  displayName?: string;
  role: Role;
  organisation: string;
  region?: string | null;
  office?: string | null;
  email?: string | null;
}

export interface UserFilter {
  role?: Role;
  region?: string;
  active?: boolean;
  limit?: number;
  cursor?: string;
}

/** Account administration (the admin's routes and the operators' CLI). */
@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly sessions: Sessions,
    private readonly log: AuditLog,
    private readonly accounts: AccountWrites,
    private readonly changes: AccountChanges,
  ) {}

  /**
   * A new account. Created by an admin, whatever its role, it is inactive
   * until another admin confirms its activation (a pending change, its id in
   * the answer); an operator at the command line creates it active.
   */
  async create(audit: RequestAudit, requester: Requester, input: NewUser): Promise<CreatedUserView> {
    audit.on('user');
    const errors = [
      ...(await this.regionErrors(this.dataSource.manager, input.role, input.region ?? null)),
      ...(await this.officeErrors(this.dataSource.manager, input.role, input.office ?? null, null)),
    ];
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
          office: input.office ?? null,
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
      const change = await this.changes.hold(manager, requester, user, 'activation');
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
   * Applies changes at the version the caller read; a new role, region or
   * office, or deactivation, ends the sessions. No one changes their own role,
   * region, office or active state (403), and a new role, admin included, is
   * not applied: it becomes a pending change (202) that another admin
   * confirms. A clerk's new office, like an officer's new region, applies at
   * once (a flagged event).
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
      const user = await this.accounts.locked(manager, id);
      const role = changes.role ?? user.role;
      const region = changes.region !== undefined ? changes.region : roleHasRegion(role) ? user.region : null;
      const office = changes.office !== undefined ? changes.office : role === 'registry_clerk' ? user.office : null;
      const accessChanged = role !== user.role || region !== user.region || office !== user.office;
      const activeChanged = changes.active !== undefined && changes.active !== user.active;
      if (requester === id && (accessChanged || activeChanged)) {
        audit.flagged = true;
        throw new DomainError('forbidden', 'No one may change their own role, region or active state.');
      }
      if (user.version !== version) throw versionMismatch();
      if ((accessChanged || activeChanged) && (await this.changes.pending(manager, id, 'activation'))) {
        throw DomainError.conflict(
          'The account waits for another admin to confirm its activation; its role, region and active state wait too.',
        );
      }
      const before = administered(toUserView(user));
      const errors = [
        ...(await this.regionErrors(manager, role, region)),
        ...(await this.officeErrors(manager, role, office, user.office)),
      ];
      if (errors.length > 0) throw DomainError.validation(errors);
      if (role !== user.role) {
        return this.changes.requestRole(manager, audit, requester, user, changes, { role, region, office });
      }
      const deactivated = changes.active === false && user.active;
      Object.assign(user, {
        displayName: changes.displayName ?? user.displayName,
        email: changes.email !== undefined ? changes.email : user.email,
        active: changes.active ?? user.active,
        role,
        region,
        office,
      });
      const saved = await manager.getRepository(User).save(user);
      if (accessChanged) await this.changes.supersede(manager, id, requester);
      if (deactivated) await this.sessions.revoke(manager, { userId: id }, 'deactivated');
      else if (accessChanged) await this.sessions.revoke(manager, { userId: id }, 'role_changed');
      const view = toUserView(saved);
      // A granted or changed role, region or activation is a flagged event.
      if (accessChanged || before.active !== view.active) audit.flagged = true;
      audit.details = { before, after: administered(view) };
      return new Answer<UserView | RoleChangeView>(view, 200);
    });
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
      const user = await this.accounts.locked(manager, id);
      if (requester !== null) return this.changes.holdReset(manager, audit, requester, user, 'password_reset');
      await this.accounts.resetPassword(manager, user, passwordHash);
      return new Answer<TemporaryPassword | RoleChangeView>({ temporaryPassword }, 200);
    });
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
      const locked = await this.accounts.locked(manager, user.id);
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
      const user = await this.accounts.locked(manager, id);
      if (requester !== null) return this.changes.holdReset(manager, audit, requester, user, 'mfa_reset');
      await this.accounts.resetMfa(manager, user);
      return new Answer<RoleChangeView | undefined>(undefined, 204);
    });
  }

  async revokeSessions(audit: RequestAudit, id: string): Promise<void> {
    audit.on('user', id);
    await this.log.transaction(audit, async (manager) => {
      await this.accounts.locked(manager, id);
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

  /** A police officer needs a known police administration; the other roles have none. */
  private async regionErrors(manager: EntityManager, role: Role, region: string | null): Promise<FieldError[]> {
    if (!roleHasRegion(role)) {
      return region ? [{ field: 'region', message: `must be empty for the role ${role}` }] : [];
    }
    if (!region) return [{ field: 'region', message: 'is required for police officers' }];
    const known = await manager.getRepository(PoliceAdministration).existsBy({ code: region });
    return known ? [] : [{ field: 'region', message: 'is not a known police administration code' }];
  }

  /**
   * Only a registry clerk may belong to a UIKS office (none: national reach);
   * a new office must be a known, active one (`current`: the account's own,
   * kept even when it has been deactivated since).
   */
  private async officeErrors(
    manager: EntityManager,
    role: Role,
    office: string | null,
    current: string | null,
  ): Promise<FieldError[]> {
    if (!office) return [];
    if (role !== 'registry_clerk') return [{ field: 'office', message: `must be empty for the role ${role}` }];
    if (office === current) return [];
    const known = await manager.getRepository(UiksOffice).existsBy({ code: office, active: true });
    return known ? [] : [{ field: 'office', message: 'is not an active UIKS office code' }];
  }
}
