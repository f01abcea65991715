import { Inject, Injectable } from '@nestjs/common';
import {
  APP_CONFIG,
  type AppConfig,
  type RateLimitDecision,
  type RequestRateLimiter,
  limiterUnlessZero,
  rateLimitKeyOf,
} from '@th/platform';

/** Who is reading: the id of the key it sent, else its address. */
export interface Reader {
  keyId?: string;
  clientIp: string;
}

/**
 * READ_RATE_LIMIT_MAX read and admin requests per READ_RATE_LIMIT_TIME_WINDOW for each API key, or
 * for each client (an IPv4 address, an IPv6 /64) that sends none: one dashboard or script cannot
 * hold the store for everybody. Counted per process.
 */
@Injectable()
export class ReadRateLimit {
  private readonly limiter: RequestRateLimiter | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.limiter = limiterUnlessZero(config.READ_RATE_LIMIT_MAX, config.READ_RATE_LIMIT_TIME_WINDOW);
  }

  /** Counts one request of the reader; undefined when reads are not limited. */
  take(reader: Reader): Promise<RateLimitDecision | undefined> {
    const bucket =
      reader.keyId !== undefined ? `key:${reader.keyId}` : `client:${rateLimitKeyOf(reader.clientIp)}`;
    return this.limiter?.take(bucket) ?? Promise.resolve(undefined);
  }
}
