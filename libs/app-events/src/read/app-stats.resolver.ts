import { Inject } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { APP_CONFIG, type AppConfig, ValidationFailedError, pageErrors, toPage } from '@th/platform';
import { APP_EVENTS_SETTINGS, type AppEventsConfig } from '../config';
import { AppEventsArgs, AppEventsPage, AppStatsArgs, AppStatsResult } from './app-stats.model';
import { AppStatsRepository } from './app-stats.repository';
import { statsFilter } from './stats-window';

@Resolver()
export class AppStatsResolver {
  constructor(
    private readonly repository: AppStatsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_EVENTS_SETTINGS) private readonly settings: AppEventsConfig,
  ) {}

  @Query(() => AppStatsResult, { description: 'The same figures as GET /stats, with filters' })
  appStats(@Args() args: AppStatsArgs): Promise<AppStatsResult> {
    return this.repository.stats(statsFilter({ ...args }, this.settings.STATS_WINDOW_DAYS));
  }

  @Query(() => AppEventsPage, { description: 'Stored events, newest first' })
  async appEvents(@Args() args: AppEventsArgs): Promise<AppEventsPage> {
    const { limit, offset, ...filters } = args;
    const page = { limit, offset };
    const errors = pageErrors(page, this.config.GRAPHQL_MAX_PAGE_SIZE);
    if (errors.length > 0) throw new ValidationFailedError(errors);
    const filter = statsFilter({ ...filters }, this.settings.STATS_WINDOW_DAYS);
    const { items, total } = await this.repository.list(filter, page);
    return toPage(items, total, page);
  }
}
