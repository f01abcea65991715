import { Inject } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { APP_CONFIG, type AppConfig, toPage } from '@th/platform';
import { parseTraceId, parseTraceListArgs, parseUsageArgs, parseWindow } from './otel.args';
import {
  EndpointUsage,
  EndpointUsageArgs,
  FeatureUsage,
  FeatureUsageArgs,
  OtelPeriodArgs,
  OtelTrace,
  OtelTracePage,
  OtelTracesArgs,
  UserActivity,
} from './otel.model';
import { OtelRepository } from './otel.repository';
import { buildSpanTree } from './span-tree';

/** OpenTelemetry traces and the usage analytics derived from their spans. */
@Resolver()
export class OtelResolver {
  constructor(
    private readonly repository: OtelRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Query(() => OtelTrace, {
    nullable: true,
    description:
      'One trace by id (32 hex digits, any case) with its spans as a list and a tree; null when unknown',
  })
  async trace(@Args('traceId') traceId: string): Promise<OtelTrace | null> {
    const found = await this.repository.trace(parseTraceId(traceId));
    if (!found) return null;
    const { roots, spans } = buildSpanTree(found.spans);
    return { ...found.summary, truncated: found.truncated, spans, roots };
  }

  @Query(() => OtelTracePage, {
    description:
      'Traces with a span started in the period, the latest first. Figures count the spans started in ' +
      'the period (a trace across its edge is summed from its part inside; trace() gives it whole)',
  })
  async traces(@Args() args: OtelTracesArgs): Promise<OtelTracePage> {
    const { filter, page } = parseTraceListArgs({ ...args }, this.config.GRAPHQL_MAX_PAGE_SIZE);
    const { items, total } = await this.repository.traces(filter, page);
    return toPage(items, total, page);
  }

  @Query(() => [EndpointUsage], {
    description: 'Calls per endpoint and method in the period, the most called first',
  })
  endpointUsage(@Args() args: EndpointUsageArgs): Promise<EndpointUsage[]> {
    return this.repository.endpointUsage(parseUsageArgs({ ...args }, this.config.GRAPHQL_MAX_PAGE_SIZE));
  }

  @Query(() => [FeatureUsage], {
    description: 'Uses per feature and action in the period, the most used first',
  })
  featureUsage(@Args() args: FeatureUsageArgs): Promise<FeatureUsage[]> {
    return this.repository.featureUsage(parseUsageArgs({ ...args }, this.config.GRAPHQL_MAX_PAGE_SIZE));
  }

  @Query(() => UserActivity, {
    description: 'Active users per day, per week and over the period; user events by type',
  })
  userActivity(@Args() args: OtelPeriodArgs): Promise<UserActivity> {
    return this.repository.userActivity(parseWindow({ ...args }));
  }
}
