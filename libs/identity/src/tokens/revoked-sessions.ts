import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/common';
import { RepeatingJob } from '@app/jobs';

/**
 * The sessions revoked while their access tokens may still be alive, held in
 * memory and reloaded every few seconds, so every instance refuses a revoked
 * session within the contract's 5 seconds without a query per request. Every
 * api instance runs this, worker or not.
 */
@Injectable()
export class RevokedSessions extends RepeatingJob implements OnModuleInit {
  /** The first load happens in onModuleInit, before any request is served. */
  protected override readonly runAtStart = false;
  /** The HTTP server keeps the api alive; the CLI, which loads this too, must be able to end. */
  protected override readonly keepsProcessAlive = false;
  private revoked = new Set<string>();
  /** Revocations made here, kept until a reload has surely seen them committed. */
  private readonly recent = new Map<string, number>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async onModuleInit(): Promise<void> {
    await this.reload();
  }

  protected intervalMs(): number {
    return this.config.identity.revocationRefreshMs;
  }

  protected runOnce(): Promise<void> {
    return this.reload();
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
