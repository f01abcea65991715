import { Inject } from '@nestjs/common';
import { Args, Info, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { APP_CONFIG, type AppConfig, ValidationFailedError, pageErrors, toPage } from '@th/platform';
import { APP_EVENTS_SETTINGS, type AppEventsConfig } from '../config';
import { AppEventsArgs, AppEventsPage, AppStatsArgs, AppStatsResult } from './app-stats.model';
import { type AppStatsFilter, AppStatsRepository } from './app-stats.repository';
import { statsFilter } from './stats-window';
import { requestedStatsParts } from './requested-stats-parts';

@Resolver(() => AppStatsResult)
export class AppStatsResolver {
  /** Each answer's period and filters, for the fields computed only when asked for. */
  private readonly filters = new WeakMap<object, AppStatsFilter>();

  constructor(
    private readonly repository: AppStatsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_EVENTS_SETTINGS) private readonly settings: AppEventsConfig,
  ) {}

  @Query(() => AppStatsResult, { description: 'The same figures as GET /stats, with filters' })
  async appStats(@Args() args: AppStatsArgs, @Info() info: GraphQLResolveInfo): Promise<AppStatsResult> {
    const filter = statsFilter({ ...args }, this.settings.STATS_WINDOW_DAYS);
    // Only what the operation selects is computed: an overview asking for counts skips the
    // distinct-user and percentile queries.
    const stats = await this.repository.stats(filter, requestedStatsParts(info));
    this.filters.set(stats, filter);
    return stats;
  }

  @ResolveField(() => String, {
    nullable: true,
    description: 'When the newest event of the period (and filters) happened, ISO-8601; null when none',
  })
  async lastEventAt(@Parent() stats: AppStatsResult): Promise<string | null> {
    const filter = this.filters.get(stats);
    // The daily counts already say which day the newest event is on: only that day is read.
    const lastDay = stats.daily.at(-1)?.key;
    if (!filter || lastDay === undefined) return null;
    const dayStart = Date.parse(`${lastDay}T00:00:00Z`);
    const latest = await this.repository.latest({
      ...filter,
      from: Math.max(filter.from, dayStart),
      to: Math.min(filter.to, dayStart + 86_400_000),
    });
    return latest === undefined ? null : new Date(latest).toISOString();
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
