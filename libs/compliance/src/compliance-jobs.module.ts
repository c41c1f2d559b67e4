import { Module } from '@nestjs/common';
import { CommonModule } from '@app/common';
import { ComplianceScanJob, MailDeliveryJob } from './compliance.jobs';
import { ComplianceModule } from './compliance.module';

/** The compliance scan and the e-mail delivery, for the app that runs the worker's jobs. */
@Module({
  imports: [CommonModule, ComplianceModule],
  providers: [ComplianceScanJob, MailDeliveryJob],
})
export class ComplianceJobsModule {}
