import { AlertsController, ComplianceController, InboxController } from './http/compliance.controller';

export * from './alert-raiser';
export * from './alerts.service';
export * from './compliance-scanner';
export * from './compliance.dto';
export * from './compliance-jobs.module';
export * from './compliance.module';
export * from './compliance.service';
export * from './list-pages';
export * from './location-lists';
export * from './entities';
export * from './inbox.service';
export { dateRange, ListPages } from './list-pages';
export * from './mail-delivery';
export { checkedInBetween, periodIndex, periodStart } from './schedule-sql';

/** Registered by the api only. */
export const COMPLIANCE_CONTROLLERS = [ComplianceController, AlertsController, InboxController];
