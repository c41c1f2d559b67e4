import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@app/audit';
import { AuthzModule } from '@app/authz';
import { CommonModule } from '@app/common';
import { AlertRaiser } from './alert-raiser';
import { AlertWriter } from './alert-writer';
import { AlertsService } from './alerts.service';
import { ComplianceScanner } from './compliance-scanner';
import { ComplianceService } from './compliance.service';
import { ListPages } from './list-pages';
import { LocationLists } from './location-lists';
import { COMPLIANCE_ENTITIES } from './entities';
import { InboxService } from './inbox.service';
import { MailDelivery } from './mail-delivery';

const SERVICES = [
  AlertRaiser,
  AlertsService,
  ComplianceService,
  ComplianceScanner,
  InboxService,
  ListPages,
  LocationLists,
  MailDelivery,
];

/** Compliance: statuses, alerts, reminders. The api adds the controllers, the worker the jobs. */
@Module({
  imports: [TypeOrmModule.forFeature(COMPLIANCE_ENTITIES), CommonModule, AuthzModule, AuditModule],
  // The alert writer stays inside: register raises alerts through AlertRaiser's typed requests.
  providers: [...SERVICES, AlertWriter],
  exports: SERVICES,
})
export class ComplianceModule {}
