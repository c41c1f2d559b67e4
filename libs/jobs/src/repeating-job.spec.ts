import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { Logger } from '@nestjs/common';
import { RepeatingJob } from './repeating-job';

const INTERVAL = 100;

/** A pass the test ends by hand. */
interface Pass {
  startedAt: number;
  finish(): void;
  fail(error: Error): void;
}

/** A job whose passes the test controls; it records when each started and how many ran at once. */
class ProbeJob extends RepeatingJob {
  protected override readonly logger = { error: jest.fn() } as unknown as Logger;
  readonly passes: Pass[] = [];
  inFlight = 0;
  mostAtOnce = 0;
  /** What the next passes do instead of waiting for the test, first come first used. */
  readonly plan: (() => Promise<unknown>)[] = [];

  get errorLog(): jest.Mock {
    return this.logger.error as unknown as jest.Mock;
  }

  protected intervalMs(): number {
    return INTERVAL;
  }

  protected runOnce(): Promise<unknown> {
    const planned = this.plan.shift();
    if (planned) return planned();
    this.inFlight += 1;
    this.mostAtOnce = Math.max(this.mostAtOnce, this.inFlight);
    return new Promise<void>((resolve, reject) => {
      let ended = false;
      const end = () => {
        if (!ended) this.inFlight -= 1;
        ended = true;
      };
      this.passes.push({
        startedAt: Date.now(),
        finish: () => {
          end();
          resolve();
        },
        fail: (error) => {
          end();
          reject(error);
        },
      });
    });
  }
}

class LaterJob extends ProbeJob {
  protected override readonly runAtStart = false;
}

describe('RepeatingJob', () => {
  let start: number;

  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
    start = Date.now();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  const startTimes = (job: ProbeJob) => job.passes.map((pass) => pass.startedAt - start);

  it('never overlaps itself: the next pass starts one interval after a slow pass ends', async () => {
    const job = new ProbeJob();
    job.onApplicationBootstrap();
    expect(startTimes(job)).toEqual([0]);

    await jest.advanceTimersByTimeAsync(10 * INTERVAL);
    expect(startTimes(job)).toEqual([0]);

    job.passes[0].finish();
    await jest.advanceTimersByTimeAsync(INTERVAL - 1);
    expect(startTimes(job)).toEqual([0]);
    await jest.advanceTimersByTimeAsync(1);
    expect(startTimes(job)).toEqual([0, 11 * INTERVAL]);

    job.passes[1].finish();
    await jest.advanceTimersByTimeAsync(INTERVAL);
    expect(startTimes(job)).toEqual([0, 11 * INTERVAL, 12 * INTERVAL]);
    expect(job.mostAtOnce).toBe(1);
    await finish(job);
  });

  it('on shutdown awaits the running pass and schedules nothing after it', async () => {
    const job = new ProbeJob();
    job.onApplicationBootstrap();
    let stopped = false;
    const shutdown = job.onApplicationShutdown().then(() => (stopped = true));

    await jest.advanceTimersByTimeAsync(5 * INTERVAL);
    expect(stopped).toBe(false);
    job.passes[0].finish();
    await shutdown;
    expect(stopped).toBe(true);

    await jest.advanceTimersByTimeAsync(10 * INTERVAL);
    expect(startTimes(job)).toEqual([0]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('on shutdown between passes cancels the next one', async () => {
    const job = new ProbeJob();
    job.onApplicationBootstrap();
    job.passes[0].finish();
    await jest.advanceTimersByTimeAsync(INTERVAL / 2);
    await job.onApplicationShutdown();

    await jest.advanceTimersByTimeAsync(10 * INTERVAL);
    expect(startTimes(job)).toEqual([0]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('logs a failed pass and runs again at the next interval', async () => {
    const job = new ProbeJob();
    const thrown = new Error('thrown before any promise');
    job.plan.push(
      () => Promise.reject(new Error('rejected')),
      () => {
        throw thrown;
      },
    );
    job.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(INTERVAL);
    await jest.advanceTimersByTimeAsync(INTERVAL);
    expect(startTimes(job)).toEqual([2 * INTERVAL]);
    expect(job.errorLog.mock.calls).toEqual([
      [{ err: new Error('rejected') }, 'pass failed; retrying at the next interval'],
      [{ err: thrown }, 'pass failed; retrying at the next interval'],
    ]);

    job.passes[0].fail(new Error('failed while running'));
    await jest.advanceTimersByTimeAsync(INTERVAL);
    expect(startTimes(job)).toEqual([2 * INTERVAL, 3 * INTERVAL]);
    expect(job.errorLog).toHaveBeenCalledTimes(3);
    await finish(job);
  });

  it('with runAtStart off, runs the first pass one interval after bootstrap', async () => {
    const job = new LaterJob();
    job.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(INTERVAL - 1);
    expect(startTimes(job)).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(startTimes(job)).toEqual([INTERVAL]);
    await finish(job);
  });
});

/** Ends the test's job: shutdown waits for the running pass, which the test then lets finish. */
async function finish(job: ProbeJob): Promise<void> {
  const shutdown = job.onApplicationShutdown();
  for (const pass of job.passes) pass.finish();
  await shutdown;
}
