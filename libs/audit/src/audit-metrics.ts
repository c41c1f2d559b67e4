import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MetricsService } from '@app/common';
import { AuditSealer } from './audit-sealer';

/** The seal lag on /metrics: how long the oldest unsealed event has waited, read when scraped. */
@Injectable()
export class AuditMetrics implements OnModuleInit {
  private readonly logger = new Logger(AuditMetrics.name);

  constructor(
    private readonly metrics: MetricsService,
    private readonly sealer: AuditSealer,
  ) {}

  onModuleInit(): void {
    const sealer = this.sealer;
    const logger = this.logger;
    new Gauge({
      name: 'audit_seal_lag_seconds',
      help: 'Seconds since the oldest audit event not yet sealed was written (0: all sealed)',
      registers: [this.metrics.registry],
      async collect() {
        try {
          this.set(await sealer.sealLagSeconds());
        } catch (error) {
          logger.warn({ err: error }, 'could not read the seal lag');
        }
      },
    });
  }
}
