import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';

/**
 * A job run every `intervalMs()`, counted from the end of the previous pass,
 * so it never overlaps itself however slow a pass is. A failed pass is logged
 * and the job tries again at the next interval. On application shutdown no
 * further pass is scheduled and the running one is awaited.
 */
export abstract class RepeatingJob implements OnApplicationBootstrap, OnApplicationShutdown {
  protected readonly logger = new Logger(this.constructor.name);
  /** Run a pass at bootstrap (else the first one interval later). */
  protected readonly runAtStart: boolean = true;
  /** Whether the pending timer alone keeps the process alive (the worker has nothing else to). */
  protected readonly keepsProcessAlive: boolean = true;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | null = null;
  #started = false;
  #stopped = false;

  protected abstract intervalMs(): number;
  protected abstract runOnce(): Promise<unknown>;

  onApplicationBootstrap(): void {
    if (this.#started || this.#stopped) return;
    this.#started = true;
    if (this.runAtStart) this.#pass();
    else this.#schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => this.#pass(), this.intervalMs());
    if (!this.keepsProcessAlive) this.#timer.unref();
  }

  #pass(): void {
    this.#timer = undefined;
    if (this.#stopped) return;
    this.#running = this.#runLogged().finally(() => {
      this.#running = null;
      this.#schedule();
    });
  }

  async #runLogged(): Promise<void> {
    try {
      await this.runOnce();
    } catch (error) {
      this.logger.error({ err: error }, 'pass failed; retrying at the next interval');
    }
  }
}
