import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  APP_CONFIG,
  type AppConfig,
  FixedWindowRateLimiter,
  RateLimitedError,
  rateLimitHeaders,
} from '@th/platform';
import { ClientIp } from './client-context';

/** RATE_LIMIT_MAX requests per RATE_LIMIT_TIME_WINDOW per client IP; 429 with Retry-After past it. */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly limiter: FixedWindowRateLimiter | undefined;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly clientIp: ClientIp,
  ) {
    this.limiter =
      config.RATE_LIMIT_MAX > 0
        ? new FixedWindowRateLimiter(config.RATE_LIMIT_MAX, config.RATE_LIMIT_TIME_WINDOW)
        : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.limiter) return true;
    const http = context.switchToHttp();
    const decision = this.limiter.take(this.clientIp.of(http.getRequest<FastifyRequest>()));
    if (!decision.allowed) throw new RateLimitedError(decision);
    void http.getResponse<FastifyReply>().headers(rateLimitHeaders(decision));
    return true;
  }
}
