import { Module } from '@nestjs/common';
import { AuditJobsModule } from '@app/audit';
import { ComplianceJobsModule } from '@app/compliance';
import { RegisterJobsModule } from '@app/register';

/**
 * The worker's scheduled jobs, each brought by the library that owns it. The
 * worker app runs them; the api runs them too in single-process mode
 * (`npm start`, RUN_WORKER=true).
 */
@Module({
  imports: [AuditJobsModule, ComplianceJobsModule, RegisterJobsModule],
})
export class WorkerJobsModule {}
