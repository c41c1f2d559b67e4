import { Injectable } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '../config/app-config';

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the client may try again (or the window resets). */
  retryAfterSeconds: number;
}

/**
 * Per-client-address limit over a fixed window, kept in this instance's
 * memory: with N instances behind a balancer an address may make up to N
 * times the limit. Never per account: that is the login lockout's job.
 */
@Injectable()
export class RateLimiter {
  private readonly limiter: RateLimiterMemory;

  constructor(private readonly config: AppConfig) {
    this.limiter = new RateLimiterMemory({
      keyPrefix: 'address',
      points: config.rateLimit.max,
      duration: config.rateLimit.windowMs / 1000,
    });
  }

  /** A route with a limit of its own (stricter than the default), per address and minute, kept beside it. */
  private readonly routes = new Map<string, RateLimiterMemory>();

  async hit(address: string): Promise<RateDecision> {
    return this.consume(this.limiter, this.config.rateLimit.max, address);
  }

  /** One request to `route`, whose own limit is `perMinute` requests per address (after the default one). */
  async hitRoute(route: string, perMinute: number, address: string): Promise<RateDecision> {
    let limiter = this.routes.get(route);
    if (!limiter) {
      limiter = new RateLimiterMemory({ keyPrefix: `route:${route}`, points: perMinute, duration: 60 });
      this.routes.set(route, limiter);
    }
    return this.consume(limiter, perMinute, address);
  }

  private async consume(limiter: RateLimiterMemory, limit: number, address: string): Promise<RateDecision> {
    try {
      const res = await limiter.consume(address);
      return {
        allowed: true,
        limit,
        remaining: res.remainingPoints,
        retryAfterSeconds: Math.ceil(res.msBeforeNext / 1000),
      };
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      return {
        allowed: false,
        limit,
        remaining: 0,
        retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)),
      };
    }
  }
}
