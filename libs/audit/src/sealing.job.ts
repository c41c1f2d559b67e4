import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@app/common';
import { AuditSealer } from './audit-sealer';

/** The worker's sealing loop: one seal attempt per interval; several workers seal each event once. */
@Injectable()
export class SealingJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SealingJob.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly sealer: AuditSealer,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running = this.sealer.sealOnce().catch((error: unknown) => {
        this.logger.error({ err: error }, 'sealing failed; retrying at the next interval');
      });
    }, this.config.audit.sealIntervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
