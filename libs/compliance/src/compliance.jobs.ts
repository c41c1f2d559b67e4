import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@app/common';
import { ComplianceScanner } from './compliance-scanner';
import { MailDelivery } from './mail-delivery';

/** A job run now and then every `intervalMs`, never overlapping itself, awaited on shutdown. */
abstract class RepeatingJob implements OnApplicationBootstrap, OnApplicationShutdown {
  protected abstract readonly logger: Logger;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | null = null;
  private stopped = false;

  /** Run once at start (else first after one interval). */
  protected readonly runAtStart: boolean = true;
  protected abstract intervalMs(): number;
  protected abstract runOnce(): Promise<unknown>;

  onApplicationBootstrap(): void {
    if (this.runAtStart) this.tick();
    else this.timer = setTimeout(() => this.tick(), this.intervalMs());
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private tick(): void {
    this.running = this.runOnce()
      .catch((error: unknown) => this.logger.error({ err: error }, 'job failed; retrying at the next interval'))
      .finally(() => {
        this.running = null;
        if (!this.stopped) this.timer = setTimeout(() => this.tick(), this.intervalMs());
      });
  }
}

/** The compliance scan, every COMPLIANCE_SCAN_INTERVAL_SECONDS (default 5 minutes). */
@Injectable()
export class ComplianceScanJob extends RepeatingJob {
  protected readonly logger = new Logger(ComplianceScanJob.name);

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
  protected readonly logger = new Logger(MailDeliveryJob.name);
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
