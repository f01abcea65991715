import { Inject } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { APP_CONFIG, type AppConfig, toPage } from '@th/platform';
import { parseMetricsArgs } from './developer-metrics.args';
import {
  DeveloperMetricsArgs,
  DeveloperMetricsPage,
  DeveloperSummaryArgs,
  DeveloperSummaryPage,
} from './developer-metrics.model';
import { DeveloperMetricsRepository } from './developer-metrics.repository';

@Resolver()
export class DeveloperMetricsResolver {
  constructor(
    private readonly repository: DeveloperMetricsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Query(() => DeveloperMetricsPage, { description: 'Daily reports, newest day first' })
  async developerMetrics(@Args() args: DeveloperMetricsArgs): Promise<DeveloperMetricsPage> {
    const { filter, page } = parseMetricsArgs({ ...args }, this.config.GRAPHQL_MAX_PAGE_SIZE);
    const { items, total } = await this.repository.list(filter, page);
    return toPage(items, total, page);
  }

  @Query(() => DeveloperSummaryPage, { description: 'Per-developer totals over the filtered reports' })
  async developerSummaries(@Args() args: DeveloperSummaryArgs): Promise<DeveloperSummaryPage> {
    const { filter, page } = parseMetricsArgs({ ...args }, this.config.GRAPHQL_MAX_PAGE_SIZE);
    const { items, total } = await this.repository.summarize(filter, page, args.top);
    return toPage(items, total, page);
  }
}
