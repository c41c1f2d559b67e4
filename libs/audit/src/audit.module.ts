import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@app/common';
import { AuditKeys, loadAuditKeys } from './audit-keys';
import { AuditLog } from './audit-log';
import { AuditMetrics } from './audit-metrics';
import { AuditQueryService } from './audit-query.service';
import { AuditSealer } from './audit-sealer';
import { AuditVerifier } from './audit-verifier';

/** The audit log: writing, sealing, verifying, reading. The api adds the controller (AUDIT_CONTROLLERS). */
@Global()
@Module({
  providers: [
    { provide: AuditKeys, inject: [AppConfig], useFactory: loadAuditKeys },
    AuditLog,
    AuditSealer,
    AuditVerifier,
    AuditQueryService,
    AuditMetrics,
  ],
  exports: [AuditKeys, AuditLog, AuditSealer, AuditVerifier, AuditQueryService],
})
export class AuditModule {}
