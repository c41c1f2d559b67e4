import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the client may try again (or the window resets). */
  retryAfterSeconds: number;
}

/**
 * Per-client-address limit over a sliding window, kept in this instance's
 * memory by the throttler's storage: with N instances behind a balancer an
 * address may make up to N times the limit. Never per account: that is the
 * login lockout's job.
 */
@Injectable()
export class RateLimiter implements OnApplicationShutdown {
  private readonly storage = new ThrottlerStorageService();

  constructor(private readonly config: AppConfig) {}

  async hit(address: string): Promise<RateDecision> {
    const { max, windowMs } = this.config.rateLimit;
    const record = await this.storage.increment(address, windowMs, max, windowMs, 'address');
    return {
      allowed: !record.isBlocked,
      limit: max,
      remaining: Math.max(0, max - record.totalHits),
      retryAfterSeconds: Math.max(1, record.isBlocked ? record.timeToBlockExpire : record.timeToExpire),
    };
  }

  onApplicationShutdown(): void {
    this.storage.onApplicationShutdown();
  }
}
