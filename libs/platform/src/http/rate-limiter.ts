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
  constructor(decision: RateLimitDecision) {
    super(`rate limit of ${decision.limit} requests exceeded; retry in ${decision.resetSeconds} s`);
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

/**
 * A fixed-window counter per key (client IP), in this process's memory. With several replicas each
 * counts on its own, so a client spread over N replicas can make up to N times the limit.
 */
export class FixedWindowRateLimiter {
  private windows = new Map<string, { count: number; resetAt: number }>();
  private nextSweep = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  take(key: string, now = Date.now()): RateLimitDecision {
    this.sweep(now);
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + this.windowMs };
      this.windows.set(key, window);
    }
    window.count++;
    return {
      allowed: window.count <= this.limit,
      limit: this.limit,
      remaining: Math.max(0, this.limit - window.count),
      resetSeconds: Math.max(1, Math.ceil((window.resetAt - now) / 1000)),
    };
  }

  /** Forgets expired windows now and then, so memory follows the active clients only. */
  private sweep(now: number): void {
    if (now < this.nextSweep) return;
    this.nextSweep = now + Math.min(this.windowMs, 60_000);
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}
