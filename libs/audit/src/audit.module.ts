import { Module } from '@nestjs/common';
import { AppConfig, CommonModule } from '@app/common';
import { AuditKeys, loadAuditKeys } from './audit-keys';
import { AuditLog } from './audit-log';
import { AuditMetrics } from './audit-metrics';
import { AuditQueryService } from './audit-query.service';
import { AuditSealer } from './audit-sealer';
import { AuditVerifier } from './audit-verifier';
import { UsageQuotas } from './usage-quotas';

/**
 * The audit log: writing, sealing, verifying, reading. The api adds the controller (AUDIT_CONTROLLERS).
 * No entities: the audit tables are read and written in SQL.
 */
@Module({
  imports: [CommonModule],
  providers: [
    { provide: AuditKeys, inject: [AppConfig], useFactory: loadAuditKeys },
    AuditLog,
    AuditSealer,
    AuditVerifier,
    AuditQueryService,
    AuditMetrics,
    UsageQuotas,
  ],
  exports: [AuditKeys, AuditLog, AuditSealer, AuditVerifier, AuditQueryService, UsageQuotas],
})
export class AuditModule {}
