import { Command, Option } from 'nest-commander';
import { isRole, ROLES } from '@app/authz';
import { AuditLog } from '@app/audit';
import { UsersService } from '@app/identity';
import { OperatorCommand, operatorAudit } from '../operator-audit';

/** Reads the password from standard input (one line; the trailing newline is not part of it). */
async function passwordFromStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new Error('pipe the password on standard input (--password-stdin)');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

interface CreateOptions {
  username?: string;
  role?: string;
  region?: string;
  office?: string;
  organisation?: string;
  displayName?: string;
  email?: string;
  passwordStdin?: boolean;
}

@Command({ name: 'user:create', description: 'Create an account (the password comes on standard input)' })
export class UserCreateCommand extends OperatorCommand {
  constructor(
    private readonly users: UsersService,
    log: AuditLog,
  ) {
    super(log);
  }

  async run(_: string[], options: CreateOptions): Promise<void> {
    const audit = operatorAudit('user.create', 'user');
    await this.audited(audit, async () => {
      if (!options.username || !options.role || !options.organisation) {
        throw new Error('--username, --role and --organisation are required');
      }
      if (!isRole(options.role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
      if (!options.passwordStdin)
        throw new Error('--password-stdin is required: passwords never go on the command line');
      const user = await this.users.create(audit, null, {
        username: options.username,
        password: await passwordFromStdin(),
        role: options.role,
        organisation: options.organisation,
        region: options.region ?? null,
        office: options.office ?? null,
        displayName: options.displayName,
        email: options.email ?? null,
      });
      const reach = user.region ?? user.office;
      return `Created ${user.username} (${user.role}${reach ? `, ${reach}` : ''}), id ${user.id}`;
    });
  }

  @Option({ flags: '--username <username>' })
  parseUsername(value: string): string {
    return value;
  }

  @Option({ flags: '--role <role>', description: ROLES.join(' | ') })
  parseRole(value: string): string {
    return value;
  }

  @Option({ flags: '--region <code>', description: 'police administration, for police officers (e.g. PU-NIS)' })
  parseRegion(value: string): string {
    return value;
  }

  @Option({ flags: '--office <code>', description: 'UIKS office, for registry clerks (e.g. UIKS-NIS)' })
  parseOffice(value: string): string {
    return value;
  }

  @Option({ flags: '--organisation <name>' })
  parseOrganisation(value: string): string {
    return value;
  }

  @Option({ flags: '--display-name <name>' })
  parseDisplayName(value: string): string {
    return value;
  }

  @Option({ flags: '--email <address>' })
  parseEmail(value: string): string {
    return value;
  }

  @Option({ flags: '--password-stdin', description: 'read the password from standard input' })
  parsePasswordStdin(): boolean {
    return true;
  }
}

@Command({ name: 'user:reset-password', description: 'Set an account’s password (on standard input)' })
export class UserResetPasswordCommand extends OperatorCommand {
  constructor(
    private readonly users: UsersService,
    log: AuditLog,
  ) {
    super(log);
  }

  async run(_: string[], options: { username?: string; passwordStdin?: boolean }): Promise<void> {
    const audit = operatorAudit('user.reset_password', 'user');
    // As the route's: a reset is flagged for a reviewer.
    audit.flagged = true;
    await this.audited(audit, async () => {
      if (!options.username) throw new Error('--username is required');
      if (!options.passwordStdin)
        throw new Error('--password-stdin is required: passwords never go on the command line');
      await this.users.setPassword(audit, options.username, await passwordFromStdin());
      return `Password of ${options.username} set; its sessions have ended.`;
    });
  }

  @Option({ flags: '--username <username>' })
  parseUsername(value: string): string {
    return value;
  }

  @Option({ flags: '--password-stdin' })
  parsePasswordStdin(): boolean {
    return true;
  }
}

@Command({ name: 'user:deactivate', description: 'Deactivate an account and end its sessions' })
export class UserDeactivateCommand extends OperatorCommand {
  constructor(
    private readonly users: UsersService,
    log: AuditLog,
  ) {
    super(log);
  }

  async run(_: string[], options: { username?: string }): Promise<void> {
    const audit = operatorAudit('user.update', 'user');
    await this.audited(audit, async () => {
      if (!options.username) throw new Error('--username is required');
      await this.users.deactivate(audit, options.username);
      return `Deactivated ${options.username}.`;
    });
  }

  @Option({ flags: '--username <username>' })
  parseUsername(value: string): string {
    return value;
  }
}
