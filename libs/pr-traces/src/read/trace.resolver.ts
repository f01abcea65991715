import { Inject } from '@nestjs/common';
import { Args, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Type } from '@sinclair/typebox';
import {
  APP_CONFIG,
  type AppConfig,
  ValidationFailedError,
  compileSchema,
  oneOf,
  pageErrors,
  toPage,
} from '@th/platform';
import { PR_STATUSES } from '../contract/trace-request.schema';
import { traceAnalytics } from './trace-analytics';
import { PrTrace, PrTraceAnalytics, PrTraceEvent, PrTracePage, PrTracesArgs } from './trace.model';
import { type StoredTraceEvent, TraceRepository } from './trace.repository';

const validateFilter = compileSchema(
  Type.Object({
    repo: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    prId: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    developer: Type.Optional(
      Type.String({ pattern: '^[0-9a-f]{64}$', errorMessage: 'must be a developer hash' }),
    ),
    status: Type.Optional(oneOf(PR_STATUSES)),
    from: Type.Optional(Type.String({ format: 'date-time', errorMessage: 'must be an ISO-8601 date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time', errorMessage: 'must be an ISO-8601 date-time' })),
  }),
);

@Resolver(() => PrTrace)
export class PrTraceResolver {
  /**
   * A trace's events, read once per trace object of an answer: a query asking for `events` and
   * `analytics` reads them one time. Keyed by the object, so the entries go with the answer.
   */
  private readonly eventsOf = new WeakMap<PrTrace, Promise<StoredTraceEvent[]>>();

  constructor(
    private readonly traces: TraceRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Query(() => PrTrace, { nullable: true, description: 'One PR trace by id' })
  prTrace(@Args('traceId') traceId: string): Promise<PrTrace | undefined> {
    return this.traces.trace(traceId.toLowerCase());
  }

  @Query(() => PrTracePage, { description: 'PR traces, the most recently active first' })
  async prTraces(@Args() args: PrTracesArgs): Promise<PrTracePage> {
    const { limit, offset, ...filters } = args;
    const defined = Object.fromEntries(
      Object.entries(filters).filter(([, v]) => v !== undefined && v !== null),
    );
    const checked = validateFilter(defined);
    const page = { limit, offset };
    const errors = [
      ...(checked.ok ? [] : checked.errors),
      ...pageErrors(page, this.config.GRAPHQL_MAX_PAGE_SIZE),
    ];
    if (!checked.ok || errors.length > 0) throw new ValidationFailedError(errors);
    const { items, total } = await this.traces.list(checked.value, page);
    return toPage(items, total, page);
  }

  @ResolveField(() => [PrTraceEvent], { description: 'The events, ordered by server seq' })
  async events(@Parent() trace: PrTrace): Promise<PrTraceEvent[]> {
    const events = await this.storedEvents(trace);
    return events.map((e) => ({
      eventId: e.eventId,
      seq: e.serverSeq,
      clientSeq: e.clientSeq,
      ts: e.ts,
      type: e.type,
      payload: JSON.stringify(e.payload),
      redactions: e.redactions,
    }));
  }

  @ResolveField(() => PrTraceAnalytics, { description: 'Per-PR analytics and the consistency report' })
  async analytics(@Parent() trace: PrTrace): Promise<PrTraceAnalytics> {
    const events = await this.storedEvents(trace);
    return traceAnalytics(events, { createdAt: trace.prCreatedAt, mergedAt: trace.prMergedAt });
  }

  private storedEvents(trace: PrTrace): Promise<StoredTraceEvent[]> {
    let events = this.eventsOf.get(trace);
    if (!events) {
      events = this.traces.events(trace.traceId);
      this.eventsOf.set(trace, events);
    }
    return events;
  }
}
