import { Controller, Get, Headers, Inject, Query } from '@nestjs/common';
import { Access, NotFoundError, sameSecret, UnauthorizedError } from '@th/platform';
import { APP_EVENTS_SETTINGS, type AppEventsConfig } from '../config';
import { type AppEventRecord, type AppStats, AppStatsRepository } from './app-stats.repository';
import { statsFilter } from './stats-window';

/** The jwc.v1 server's read endpoints: stats, and (with STATS_SECRET) debug views. */
@Controller()
export class StatsController {
  constructor(
    private readonly repository: AppStatsRepository,
    @Inject(APP_EVENTS_SETTINGS) private readonly config: AppEventsConfig,
  ) {}

  @Get('stats')
  @Access('read')
  async stats(@Query() query: Record<string, unknown>): Promise<AppStats & { windowDays: number }> {
    const filter = statsFilter(query, this.config.STATS_WINDOW_DAYS);
    return { ...(await this.repository.stats(filter)), windowDays: (filter.to - filter.from) / 86_400_000 };
  }

  /** The latest events, newest first (anon hashed). Needs STATS_SECRET in `x-stats-key`. */
  @Get('debug/recent')
  @Access('own-credential')
  async recent(
    @Headers('x-stats-key') key: string | undefined,
    @Query('limit') limit = '50',
  ): Promise<{ rows: AppEventRecord[] }> {
    this.authorizeDebug(key);
    const size = Math.min(500, Math.max(1, Number.parseInt(limit, 10) || 50));
    const { items } = await this.repository.list(
      { from: 0, to: Date.now() + 86_400_000 },
      { limit: size, offset: 0 },
    );
    return { rows: items };
  }

  private authorizeDebug(key: string | undefined): void {
    if (!this.config.STATS_SECRET)
      throw new NotFoundError('debug endpoints are off (set STATS_SECRET to enable them)');
    if (!sameSecret(key ?? '', this.config.STATS_SECRET)) {
      throw new UnauthorizedError('x-stats-key is missing or wrong');
    }
  }
}
