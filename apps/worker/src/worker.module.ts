import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { type AppConfig, CommonModule, loggerOptions } from '@app/common';
import { AuthzModule } from '@app/authz';
import { DbModule } from '@app/db';
import { WorkerJobsModule } from '@app/jobs';

/** The worker: no HTTP, only the scheduled jobs. */
@Module({})
export class WorkerModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        CommonModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions(config)),
        DbModule,
        AuthzModule,
        WorkerJobsModule,
      ],
    };
  }
}
