import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import type { EntityManager } from 'typeorm';
import { DomainError } from '@app/common';
import { User } from './entities/user.entity';
import { Sessions } from './sessions';
import type { UserView } from './views';

/** Who asks for a change of an account: an admin's account id, or null for an operator at the command line. */
export type Requester = string | null;

export class TemporaryPassword {
  @ApiProperty({
    description: 'Shown once; the first sign-in with it must choose a new password',
    example: 'kT9#vQ2m!xW4',
  })
  temporaryPassword!: string;
}

/** The administered attributes of an account, for before/after in the audit log (no secrets). */
export function administered(view: UserView): Record<string, unknown> {
  return {
    username: view.username,
    displayName: view.displayName,
    role: view.role,
    organisation: view.organisation,
    region: view.region,
    office: view.office,
    email: view.email,
    active: view.active,
  };
}

/** Removes the account's authenticator, enrolled or pending: its user enrols again. */
export function withoutSecondFactor(user: User): void {
  Object.assign(user, { mfaSecret: null, mfaPendingSecret: null, mfaEnrolledAt: null, totpLastStep: null });
}

export function userNotFound(): DomainError {
  return DomainError.notFound('No such user.');
}

/** What every administration of an account does to it: lock it, reset its secrets (ending its sessions). */
@Injectable()
export class AccountWrites {
  constructor(private readonly sessions: Sessions) {}

  async locked(manager: EntityManager, id: string): Promise<User> {
    const user = await manager.getRepository(User).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!user) throw userNotFound();
    return user;
  }

  async resetPassword(manager: EntityManager, user: User, passwordHash: string): Promise<void> {
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

  async resetMfa(manager: EntityManager, user: User): Promise<User> {
    withoutSecondFactor(user);
    const saved = await manager.getRepository(User).save(user);
    await this.sessions.revoke(manager, { userId: user.id }, 'mfa_reset');
    return saved;
  }
}
