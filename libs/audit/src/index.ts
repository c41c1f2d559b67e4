import { AuditController } from './audit.controller';

export * from './audit-hooks';
export * from './audit-keys';
export * from './audit-log';
export * from './audit-query.service';
export * from './audit-sealer';
export * from './audit-verifier';
export { canonicalJson, LEAF_SQL } from './canonical';
export { merkleRoot } from './merkle';
export * from './audit.module';
export * from './audited';
export * from './idempotency';
export * from './request-audit';
export * from './audit-jobs.module';
export * from './seals';
export * from './usage-quotas';

/** Registered by the api only. */
export const AUDIT_CONTROLLERS = [AuditController];
export * from './audit-declaration.guard';
export * from './signed-documents';
