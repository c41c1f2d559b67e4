import { type DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, CommonModule } from '@app/common';
import {
  MigrationCheckCommand,
  MigrationGenerateCommand,
  MigrationRevertCommand,
  MigrationRunCommand,
} from './commands/migration.commands';

/** Operators' command line: `npm run cli -- <command>`. */
@Module({})
export class CliModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [CommonModule.forRoot(config)],
      providers: [MigrationRunCommand, MigrationRevertCommand, MigrationGenerateCommand, MigrationCheckCommand],
    };
  }
}
