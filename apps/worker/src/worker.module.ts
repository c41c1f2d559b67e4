import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { type AppConfig, CommonModule, loggerOptions } from '@app/common';
import { DbModule } from '@app/db';
import { IDENTITY_ENTITIES } from '@app/identity';
import { REGISTER_ENTITIES } from '@app/register';
import { WorkerJobsModule } from './worker-jobs.module';

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
        // Alerts and inbox items point at persons, measures, users and police administrations: their
        // entities, without the register's and identity's services (and identity's signing keys).
        TypeOrmModule.forFeature([...IDENTITY_ENTITIES, ...REGISTER_ENTITIES]),
        WorkerJobsModule,
      ],
    };
  }
}
