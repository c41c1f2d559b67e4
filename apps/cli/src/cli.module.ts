import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@app/audit';
import { ComplianceModule } from '@app/compliance';
import { type AppConfig, CommonModule } from '@app/common';
import { DbModule } from '@app/db';
import { IdentityModule } from '@app/identity';
import { PlacesService, REGISTER_ENTITIES, StatisticsDays } from '@app/register';
import {
  MigrationCheckCommand,
  MigrationGenerateCommand,
  MigrationRevertCommand,
  MigrationRunCommand,
} from './commands/migration.commands';
import { AuditExportCommand, AuditVerifyCommand } from './commands/audit.commands';
import { ComplianceScanCommand } from './commands/compliance.commands';
import { StatisticsRecordCommand } from './commands/statistics.commands';
import { DocumentsVerifyCommand } from './commands/documents.commands';
import { PlacesImportCommand, ProximityRebuildCommand } from './commands/places.commands';
import { UserCreateCommand, UserDeactivateCommand, UserResetPasswordCommand } from './commands/user.commands';

/** Operators' command line: `npm run cli -- <command>`. */
@Module({})
export class CliModule {
  /**
   * `accounts`: connect to the (migrated) database and load the identity,
   * audit and compliance services (user:*, audit:*, compliance:*, places:*, proximity:* and statistics:* commands); the migration commands
   * manage their own connections and must work on a database that is not
   * migrated yet.
   */
  static register(config: AppConfig, options: { accounts: boolean }): DynamicModule {
    const accounts = options.accounts
      ? {
          imports: [
            DbModule,
            AuditModule,
            IdentityModule,
            ComplianceModule,
            // Alerts point at persons and measures: the register's entities, not its services.
            TypeOrmModule.forFeature(REGISTER_ENTITIES),
          ],
          providers: [
            UserCreateCommand,
            UserResetPasswordCommand,
            UserDeactivateCommand,
            AuditVerifyCommand,
            AuditExportCommand,
            ComplianceScanCommand,
            PlacesImportCommand,
            ProximityRebuildCommand,
            StatisticsRecordCommand,
            // Reference data only: the register's services for persons stay out of the command line.
            PlacesService,
            // The statistics' days: derived figures, no person's record.
            StatisticsDays,
          ],
        }
      : { imports: [], providers: [] };
    return {
      module: CliModule,
      imports: [
        // The same keys as the service: audit:verify checks seals signed by the worker.
        CommonModule.forRoot(config.withLocalSecrets()),
        ...accounts.imports,
      ],
      providers: [
        MigrationRunCommand,
        MigrationRevertCommand,
        MigrationGenerateCommand,
        MigrationCheckCommand,
        // Checks a file with the keys only: no service, no event.
        DocumentsVerifyCommand,
        ...accounts.providers,
      ],
    };
  }
}
