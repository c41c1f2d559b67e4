import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/common';
import { RepeatingJob } from '@app/jobs';
import { ComplianceScanner } from './compliance-scanner';
import { MailDelivery } from './mail-delivery';

/** The compliance scan, at start and every COMPLIANCE_SCAN_INTERVAL_SECONDS (default 5 minutes). */
@Injectable()
export class ComplianceScanJob extends RepeatingJob {
  constructor(
    private readonly scanner: ComplianceScanner,
    private readonly config: AppConfig,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.config.compliance.scanIntervalMs;
  }

  protected runOnce(): Promise<unknown> {
    return this.scanner.scan();
  }
}

/** The e-mail outbox, every MAIL_INTERVAL_MS (default 5 s). */
@Injectable()
export class MailDeliveryJob extends RepeatingJob {
  protected override readonly runAtStart = false;

  constructor(
    private readonly delivery: MailDelivery,
    private readonly config: AppConfig,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.config.mail.intervalMs;
  }

  protected runOnce(): Promise<unknown> {
    return this.delivery.deliverDue();
  }
}
