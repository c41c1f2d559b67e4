import { Global, Module } from '@nestjs/common';
import { AlertRaiser } from './alert-raiser';
import { AlertsService } from './alerts.service';
import { ComplianceScanner } from './compliance-scanner';
import { ComplianceService } from './compliance.service';
import { InboxService } from './inbox.service';
import { MailDelivery } from './mail-delivery';

const SERVICES = [AlertRaiser, AlertsService, ComplianceService, ComplianceScanner, InboxService, MailDelivery];

/** Compliance: statuses, alerts, reminders. The api adds the controllers, the worker the jobs. */
@Global()
@Module({
  providers: SERVICES,
  exports: SERVICES,
})
export class ComplianceModule {}
