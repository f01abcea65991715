import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { clientIpOf, rateLimitKeyOf } from './client-ip';
import {
  RateLimitedError,
  type RequestRateLimiter,
  limiterUnlessZero,
  rateLimitHeaders,
} from './rate-limiter';

/**
 * `@UseGuards(RateLimitGuard)` on an ingest route: RATE_LIMIT_MAX requests per
 * RATE_LIMIT_TIME_WINDOW per client (an IPv4 address, an IPv6 /64), 429 with Retry-After past it,
 * RateLimit-* headers always. One counter per guard instance, that is per module that provides it.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly limiter: RequestRateLimiter | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.limiter = limiterUnlessZero(config.RATE_LIMIT_MAX, config.RATE_LIMIT_TIME_WINDOW);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.limiter) return true;
    const http = context.switchToHttp();
    const decision = await this.limiter.take(rateLimitKeyOf(clientIpOf(http.getRequest<FastifyRequest>())));
    if (!decision.allowed) throw new RateLimitedError(decision);
    void http.getResponse<FastifyReply>().headers(rateLimitHeaders(decision));
    return true;
  }
}
