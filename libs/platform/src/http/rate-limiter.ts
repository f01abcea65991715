import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { DomainError } from '../errors/domain-error';

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

export class RateLimitedError extends DomainError {
  readonly code = 'rate_limited';
  readonly status = 429;
  constructor(decision: RateLimitDecision, what = 'requests') {
    super(`rate limit of ${decision.limit} ${what} exceeded; retry in ${decision.resetSeconds} s`);
    Object.assign(this.headers, rateLimitHeaders(decision), { 'Retry-After': String(decision.resetSeconds) });
  }
}

/** The IETF `RateLimit-*` headers for a decision. */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  return {
    'RateLimit-Limit': String(decision.limit),
    'RateLimit-Remaining': String(decision.remaining),
    'RateLimit-Reset': String(decision.resetSeconds),
  };
}

/** A limiter for a configured limit, or none when the setting is 0 (no limit). */
export function limiterUnlessZero(limit: number, windowMs: number): RequestRateLimiter | undefined {
  return limit > 0 ? new RequestRateLimiter(limit, windowMs) : undefined;
}

/**
 * A fixed-window counter per key (a client's address bucket, an API key's id), in this process's
 * memory, on `rate-limiter-flexible`. With several replicas each counts on its own, so a client
 * spread over N replicas can make up to N times the limit.
 */
export class RequestRateLimiter {
  private readonly limiter: RateLimiterMemory;

  constructor(
    readonly limit: number,
    windowMs: number,
  ) {
    this.limiter = new RateLimiterMemory({ points: limit, duration: windowMs / 1000 });
  }

  /** Counts one request of `key` and says whether it is within the limit. */
  async take(key: string): Promise<RateLimitDecision> {
    try {
      return this.decision(true, await this.limiter.consume(key));
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return this.decision(false, refusal);
      throw refusal;
    }
  }

  /** Whether `key` is already past its limit, without counting a request. */
  async isExhausted(key: string): Promise<RateLimitDecision | undefined> {
    const state = await this.limiter.get(key);
    return state && state.consumedPoints >= this.limit ? this.decision(false, state) : undefined;
  }

  private decision(allowed: boolean, state: RateLimiterRes): RateLimitDecision {
    return {
      allowed,
      limit: this.limit,
      remaining: Math.max(0, state.remainingPoints),
      resetSeconds: Math.max(1, Math.ceil(state.msBeforeNext / 1000)),
    };
  }
}
