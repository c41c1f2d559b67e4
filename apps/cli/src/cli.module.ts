import { type DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from '@app/audit';
import { AuthzModule } from '@app/authz';
import { type AppConfig, CommonModule } from '@app/common';
import { DbModule } from '@app/db';
import { IdentityModule } from '@app/identity';
import {
  MigrationCheckCommand,
  MigrationGenerateCommand,
  MigrationRevertCommand,
  MigrationRunCommand,
} from './commands/migration.commands';
import { UserCreateCommand, UserDeactivateCommand, UserResetPasswordCommand } from './commands/user.commands';

/** Operators' command line: `npm run cli -- <command>`. */
@Module({})
export class CliModule {
  /**
   * `accounts`: connect to the (migrated) database and load the identity
   * services; the migration commands manage their own connections and must
   * work on a database that is not migrated yet.
   */
  static register(config: AppConfig, options: { accounts: boolean }): DynamicModule {
    const accounts = options.accounts
      ? {
          // The CLI signs no tokens and reads no authenticator secrets: ephemeral keys suffice.
          imports: [DbModule, AuthzModule, AuditModule, IdentityModule],
          providers: [UserCreateCommand, UserResetPasswordCommand, UserDeactivateCommand],
        }
      : { imports: [], providers: [] };
    return {
      module: CliModule,
      imports: [
        CommonModule.forRoot(config.with({ secrets: { ...config.secrets, source: 'memory' } })),
        ...accounts.imports,
      ],
      providers: [
        MigrationRunCommand,
        MigrationRevertCommand,
        MigrationGenerateCommand,
        MigrationCheckCommand,
        ...accounts.providers,
      ],
    };
  }
}
