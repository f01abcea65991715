import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { clientIpOf } from './client-ip';
import { FixedWindowRateLimiter, RateLimitedError, rateLimitHeaders } from './rate-limiter';

/**
 * `@UseGuards(RateLimitGuard)` on an ingest route: RATE_LIMIT_MAX requests per
 * RATE_LIMIT_TIME_WINDOW per client IP, 429 with Retry-After past it, RateLimit-* headers always.
 * One counter per guard instance, that is per module that provides it.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly limiter: FixedWindowRateLimiter | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.limiter =
      config.RATE_LIMIT_MAX > 0
        ? new FixedWindowRateLimiter(config.RATE_LIMIT_MAX, config.RATE_LIMIT_TIME_WINDOW)
        : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.limiter) return true;
    const http = context.switchToHttp();
    const decision = this.limiter.take(clientIpOf(http.getRequest<FastifyRequest>()));
    if (!decision.allowed) throw new RateLimitedError(decision);
    void http.getResponse<FastifyReply>().headers(rateLimitHeaders(decision));
    return true;
  }
}
