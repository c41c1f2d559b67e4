import { Module } from '@nestjs/common';
import { CommonModule } from '@app/common';
import { AuditModule } from './audit.module';
import { SealingJob } from './sealing.job';

/** Audit sealing, for the app that runs the worker's jobs. */
@Module({
  imports: [CommonModule, AuditModule],
  providers: [SealingJob],
})
export class AuditJobsModule {}
