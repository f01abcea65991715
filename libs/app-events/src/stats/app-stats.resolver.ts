import { Inject } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { APP_CONFIG, type AppConfig, ValidationFailedError } from '@th/platform';
import { AppEventsArgs, AppEventsPage, AppStatsArgs, AppStatsResult } from './app-stats.model';
import { AppStatsRepository } from './app-stats.repository';
import { statsFilter } from './stats-window';

@Resolver()
export class AppStatsResolver {
  constructor(
    private readonly repository: AppStatsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Query(() => AppStatsResult, { description: 'The same figures as GET /stats, with filters' })
  appStats(@Args() args: AppStatsArgs): Promise<AppStatsResult> {
    return this.repository.stats(statsFilter({ ...args }, this.config.STATS_WINDOW_DAYS));
  }

  @Query(() => AppEventsPage, { description: 'Stored events, newest first' })
  async appEvents(@Args() args: AppEventsArgs): Promise<AppEventsPage> {
    const { limit, offset, ...filters } = args;
    const max = this.config.GRAPHQL_MAX_PAGE_SIZE;
    if (!Number.isInteger(limit) || limit < 1 || limit > max) {
      throw new ValidationFailedError([{ field: 'limit', message: `must be from 1 to ${max}` }]);
    }
    if (!Number.isInteger(offset) || offset < 0) {
      throw new ValidationFailedError([{ field: 'offset', message: 'must be a non-negative integer' }]);
    }
    const filter = statsFilter({ ...filters }, this.config.STATS_WINDOW_DAYS);
    const { items, total } = await this.repository.list(filter, { limit, offset });
    return { items, totalCount: total, hasMore: offset + items.length < total };
  }
}
