import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, type FieldError, Keyset, type KeysetColumn, type Page, versionMismatch } from '@app/common';
import { AuditLog, type RequestAudit } from '@app/audit';
import { type Role, roleHasRegion } from '@app/authz';
import { User } from './entities/user.entity';
import { PasswordHasher } from './password/password-hasher';
import { passwordProblem } from './password/password-policy';
import { PoliceAdministration } from './reference/police-administration.entity';
import { Sessions } from './sessions';
import { toUserView, type UserView } from './views';

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

function userNotFound(): DomainError {
  return DomainError.notFound('No such user.');
}

/** Account administration (the admin's routes and the operators' CLI). */
@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly sessions: Sessions,
    private readonly log: AuditLog,
  ) {}

  async create(audit: RequestAudit, input: NewUser): Promise<UserView> {
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
      const user = await manager.getRepository(User).save(
        manager.getRepository(User).create({
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
      return view;
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

  /** Applies changes at the version the caller read; a new role or region, or deactivation, ends the sessions. */
  async update(audit: RequestAudit, id: string, version: number, changes: UserChanges): Promise<UserView> {
    audit.on('user', id);
    return this.log.transaction(audit, async (manager) => {
      const user = await this.lockedUser(manager, id);
      if (user.version !== version) throw versionMismatch();
      const before = administered(toUserView(user));
      const role = changes.role ?? user.role;
      const region = changes.region !== undefined ? changes.region : roleHasRegion(role) ? user.region : null;
      const errors = await this.regionErrors(manager, role, region);
      if (errors.length > 0) throw DomainError.validation(errors);
      const accessChanged = role !== user.role || region !== user.region;
      const deactivated = changes.active === false && user.active;
      Object.assign(user, {
        displayName: changes.displayName ?? user.displayName,
        email: changes.email !== undefined ? changes.email : user.email,
        active: changes.active ?? user.active,
        role,
        region,
      });
      const saved = await manager.getRepository(User).save(user);
      if (deactivated) await this.sessions.revoke(manager, { userId: id }, 'deactivated');
      else if (accessChanged) await this.sessions.revoke(manager, { userId: id }, 'role_changed');
      const view = toUserView(saved);
      // A granted or changed role, region or activation is a flagged event.
      if (accessChanged || before.active !== view.active) audit.flagged = true;
      audit.details = { before, after: administered(view) };
      return view;
    });
  }

  /** A temporary password, shown once; it only allows choosing a new one. */
  async resetPassword(audit: RequestAudit, id: string): Promise<{ temporaryPassword: string }> {
    audit.on('user', id);
    const temporaryPassword = randomBytes(18).toString('base64url');
    const passwordHash = await this.hasher.hash(temporaryPassword);
    await this.log.transaction(audit, async (manager) => {
      const user = await this.lockedUser(manager, id);
      Object.assign(user, {
        passwordHash,
        passwordMustChange: true,
        passwordChangedAt: new Date(),
        failedLogins: 0,
        lockedUntil: null,
      });
      await manager.getRepository(User).save(user);
      await this.sessions.revoke(manager, { userId: id }, 'password_reset');
    });
    return { temporaryPassword };
  }

  /** Sets a password chosen by an operator (CLI); the policy applies. */
  async setPassword(audit: RequestAudit, username: string, password: string): Promise<void> {
    const user = await this.byUsername(username);
    audit.on('user', user.id);
    const problem = passwordProblem(password, user.username);
    if (problem) throw DomainError.validation([{ field: 'password', message: problem }]);
    const passwordHash = await this.hasher.hash(password);
    await this.dataSource.transaction(async (manager) => {
      Object.assign(user, {
        passwordHash,
        passwordMustChange: false,
        passwordChangedAt: new Date(),
        failedLogins: 0,
        lockedUntil: null,
      });
      await manager.getRepository(User).save(user);
      await this.sessions.revoke(manager, { userId: user.id }, 'password_reset');
    });
  }

  async resetMfa(audit: RequestAudit, id: string): Promise<void> {
    audit.on('user', id);
    await this.log.transaction(audit, async (manager) => {
      const user = await this.lockedUser(manager, id);
      Object.assign(user, { mfaSecret: null, mfaPendingSecret: null, mfaEnrolledAt: null, totpLastStep: null });
      await manager.getRepository(User).save(user);
      await this.sessions.revoke(manager, { userId: id }, 'mfa_reset');
    });
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
    await this.update(audit, user.id, user.version, { active: false });
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
