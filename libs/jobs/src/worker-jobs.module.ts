import { Module } from '@nestjs/common';
import { CommonModule } from '@app/common';
import { AuditModule, SealingJob } from '@app/audit';
import { ComplianceModule, ComplianceScanJob, MailDeliveryJob } from '@app/compliance';

/**
 * The worker's scheduled jobs, gathered from the libraries that own them.
 * The worker app runs them; the api runs them too in single-process mode
 * (`npm start`, RUN_WORKER=true).
 */
@Module({
  imports: [CommonModule, AuditModule, ComplianceModule],
  providers: [SealingJob, ComplianceScanJob, MailDeliveryJob],
})
export class WorkerJobsModule {}
