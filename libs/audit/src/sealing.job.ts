import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/common';
import { RepeatingJob } from '@app/jobs';
import { AuditSealer } from './audit-sealer';

/** The worker's sealing loop: one seal attempt per interval; several workers seal each event once. */
@Injectable()
export class SealingJob extends RepeatingJob {
  protected override readonly runAtStart = false;

  constructor(
    private readonly sealer: AuditSealer,
    private readonly config: AppConfig,
  ) {
    super();
  }

  protected intervalMs(): number {
    return this.config.audit.sealIntervalMs;
  }

  protected runOnce(): Promise<unknown> {
    return this.sealer.sealOnce();
  }
}
