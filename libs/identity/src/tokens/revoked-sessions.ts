import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/common';

/**
 * The sessions revoked while their access tokens may still be alive, held in
 * memory and reloaded every few seconds, so every instance refuses a revoked
 * session within the contract's 5 seconds without a query per request.
 */
@Injectable()
export class RevokedSessions implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RevokedSessions.name);
  private revoked = new Set<string>();
  /** Revocations made here, kept until a reload has surely seen them committed. */
  private readonly recent = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.reload();
    this.timer = setInterval(() => {
      this.reload().catch((error: unknown) => this.logger.warn({ err: error }, 'could not reload revoked sessions'));
    }, this.config.identity.revocationRefreshMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  isRevoked(sessionId: string): boolean {
    return this.revoked.has(sessionId);
  }

  /** This instance knows at once; the others at their next reload. */
  add(sessionIds: string[]): void {
    const now = Date.now();
    for (const id of sessionIds) {
      this.revoked.add(id);
      this.recent.set(id, now);
    }
  }

  async reload(): Promise<void> {
    // Tokens live at most accessTokenTtlSeconds; a revocation older than that no longer matters.
    const horizonSeconds = this.config.identity.accessTokenTtlSeconds + 60;
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM sessions WHERE revoked_at IS NOT NULL AND revoked_at > now() - make_interval(secs => $1)`,
      [horizonSeconds],
    );
    const next = new Set(rows.map((row) => row.id));
    // Keep this instance's own recent revocations, which a read may not see yet.
    const keepSince = Date.now() - 10_000;
    for (const [id, at] of this.recent) {
      if (at < keepSince) this.recent.delete(id);
      else next.add(id);
    }
    this.revoked = next;
  }
}
