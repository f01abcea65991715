import type { ClickHouseClient } from '@clickhouse/client';
import { Inject, Injectable } from '@nestjs/common';
import type { PageRequest } from '@th/platform';
import { CLICKHOUSE, ClosedDayRollups, queryRows } from '@th/store';
import type { OtelWindow, TraceListFilter, UsageRequest } from './otel.args';
import {
  ACTIVE_USERS,
  ACTIVE_USERS_SET,
  ENDPOINT_ROLL_UP,
  ENDPOINT_USAGE,
  FEATURE_USAGE,
  TRACE_PAGE_FIGURES,
  TRACE_SPANS,
  TRACE_SUMMARY,
  USER_EVENTS_BY_TYPE,
  traceCount,
  tracePage,
} from './otel.queries';
import { isoOfUnixNano, millisOfNanos, storeTimeOfUnixNano } from './otel-time';

/** The most spans one trace answer carries; the figures still count them all. */
export const MAX_TRACE_SPANS = 10_000;

export interface OtelAttributeRecord {
  key: string;
  value: string;
}

/** A stored span; times are also kept as exact nanoseconds (ordering, the tree). */
export interface OtelSpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: string;
  startTime: string;
  endTime: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  durationMs: number;
  statusCode: string;
  statusMessage: string;
  serviceName: string;
  scopeName: string;
  scopeVersion: string;
  attributes: OtelAttributeRecord[];
  resourceAttributes: OtelAttributeRecord[];
  events: { timeUnixNano: string; time: string; name: string; attributes: OtelAttributeRecord[] }[];
  links: { traceId: string; spanId: string; attributes: OtelAttributeRecord[] }[];
}

export interface OtelTraceSummaryRecord {
  traceId: string;
  rootName: string;
  serviceName: string;
  serviceNames: string[];
  startTime: string;
  endTime: string;
  durationMs: number;
  spanCount: number;
  errorCount: number;
  status: string;
}

export interface EndpointUsageRecord {
  endpoint: string;
  method: string;
  serviceName: string | null;
  calls: number;
  errors: number;
  errorRate: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

export interface FeatureUsageRecord {
  featureName: string;
  action: string;
  uses: number;
  distinctUsers: number;
}

export interface UserActivityRecord {
  from: string;
  to: string;
  activeUsers: number;
  dailyActiveUsers: { day: string; users: number }[];
  weeklyActiveUsers: { weekStart: string; users: number }[];
  eventsByType: { eventType: string; events: number; distinctUsers: number }[];
}

interface SpanRow {
  trace_id: string;
  span_id: string;
  parent_span_id: string;
  name: string;
  kind: string;
  start_ns: string;
  end_ns: string;
  duration_nanos: string;
  status_code: string;
  status_message: string;
  service_name: string;
  scope_name: string;
  scope_version: string;
  attributes: Record<string, string>;
  resource_attributes: Record<string, string>;
  events: string;
  links: string;
}

interface TraceFiguresRow {
  trace_id: string;
  trace_start_ns: string;
  trace_end_ns: string;
  trace_duration_ms: number;
  root_name: string;
  root_service: string;
  service_list: string[];
  span_count: string;
  error_count: string;
  trace_status: string;
}

interface EndpointRow {
  endpoint: string;
  method: string;
  only_service: string | null;
  calls: string;
  failed_calls: string;
  mean_ms: number;
  duration_quantiles: number[];
}

/** Reads of spans and the three analytics tables; FINAL everywhere, so a resend never changes an answer. */
@Injectable()
export class OtelRepository {
  /** Closed days of endpoint_usage, rolled up once (exactly) instead of read FINAL every time. */
  private readonly endpointDays: ClosedDayRollups;

  constructor(@Inject(CLICKHOUSE) private readonly client: ClickHouseClient) {
    this.endpointDays = new ClosedDayRollups(client, {
      name: 'endpoint-usage',
      dayInserts: 'endpoint_usage_day_inserts',
      generations: 'endpoint_usage_days',
      rollUp: [ENDPOINT_ROLL_UP],
    });
  }

  /** A trace's figures and its earliest {@link MAX_TRACE_SPANS} spans; undefined when unknown. */
  async trace(
    traceId: string,
  ): Promise<{ summary: OtelTraceSummaryRecord; spans: OtelSpanRecord[]; truncated: boolean } | undefined> {
    const [[figures], spans] = await Promise.all([
      queryRows<TraceFiguresRow>(this.client, TRACE_SUMMARY, { traceId }),
      queryRows<SpanRow>(this.client, TRACE_SPANS, { traceId, maxSpans: MAX_TRACE_SPANS }),
    ]);
    if (!figures) return undefined;
    const summary = summaryOf(figures);
    // Both conditions: a span arriving between the two reads must not mark a small trace cut.
    const truncated = spans.length === MAX_TRACE_SPANS && summary.spanCount > MAX_TRACE_SPANS;
    return { summary, spans: spans.map(spanOf), truncated };
  }

  /** Traces of the period, the latest start first, with the number matching the filter. */
  async traces(
    filter: TraceListFilter,
    page: PageRequest,
  ): Promise<{ items: OtelTraceSummaryRecord[]; total: number }> {
    const ofService = filter.service !== undefined;
    const params = {
      ...period(filter),
      ...(ofService ? { service: filter.service } : {}),
      minDurationMs: filter.minDurationMs ?? null,
      status: filter.status ?? null,
      limit: page.limit,
      offset: page.offset,
    };
    const ids = await queryRows<{ trace_id: string; matching_traces: string }>(
      this.client,
      tracePage(ofService),
      params,
    );
    const [first] = ids;
    if (!first) {
      if (page.offset === 0) return { items: [], total: 0 };
      // A page past the end has no row to carry the count.
      const [count] = await queryRows<{ total: string }>(this.client, traceCount(ofService), params);
      return { items: [], total: Number(count?.total ?? 0) };
    }
    const figures = await queryRows<TraceFiguresRow>(this.client, TRACE_PAGE_FIGURES, {
      ...period(filter),
      traceIds: ids.map((row) => row.trace_id),
    });
    const byId = new Map(figures.map((row) => [row.trace_id, summaryOf(row)]));
    // Both reads sum the same spans of the period, so every id has its row; the page's order is kept.
    const items = ids.flatMap((row) => byId.get(row.trace_id) ?? []);
    return { items, total: Number(first.matching_traces) };
  }

  /** Calls per endpoint and method, the most called first. */
  async endpointUsage(request: UsageRequest): Promise<EndpointUsageRecord[]> {
    // Whole days only: the window's bounds rounded inwards to milliseconds.
    const plan = await this.endpointDays.plan(
      Number((request.window.from + 999_999n) / 1_000_000n),
      Number(request.window.to / 1_000_000n),
    );
    const rows = await queryRows<EndpointRow>(this.client, ENDPOINT_USAGE, {
      ...period(request.window),
      rolledDays: plan.rolledDays,
      rolledGenerations: plan.rolledGenerations,
      liveDays: plan.liveDays,
      service: request.service ?? null,
      limit: request.limit,
    });
    return rows.map((row) => {
      const calls = Number(row.calls);
      const errors = Number(row.failed_calls);
      const [p50 = 0, p95 = 0, p99 = 0] = row.duration_quantiles;
      return {
        endpoint: row.endpoint,
        method: row.method,
        serviceName: row.only_service,
        calls,
        errors,
        // A group has at least one call; the guard only keeps a NaN out of the schema.
        errorRate: calls > 0 ? errors / calls : 0,
        meanMs: row.mean_ms,
        p50Ms: p50,
        p95Ms: p95,
        p99Ms: p99,
      };
    });
  }

  /** Uses per feature and action, the most used first. */
  async featureUsage(request: UsageRequest): Promise<FeatureUsageRecord[]> {
    const rows = await queryRows<{
      feature_name: string;
      action: string;
      uses: string;
      distinct_users: string;
    }>(this.client, FEATURE_USAGE, { ...period(request.window), limit: request.limit });
    return rows.map((row) => ({
      featureName: row.feature_name,
      action: row.action,
      uses: Number(row.uses),
      distinctUsers: Number(row.distinct_users),
    }));
  }

  /** Active users per day, per week and in total, and user events per type. */
  async userActivity(window: OtelWindow): Promise<UserActivityRecord> {
    const params = period(window);
    const [active, byType] = await Promise.all([
      queryRows<{ set_mask: number; active_day: string; active_week: string; users: string }>(
        this.client,
        ACTIVE_USERS,
        params,
      ),
      queryRows<{ event_type: string; events: string; distinct_users: string }>(
        this.client,
        USER_EVENTS_BY_TYPE,
        params,
      ),
    ]);
    const ofSet = (mask: number) => active.filter((row) => Number(row.set_mask) === mask);
    return {
      from: isoOfUnixNano(window.from),
      to: isoOfUnixNano(window.to),
      activeUsers: Number(ofSet(ACTIVE_USERS_SET.total)[0]?.users ?? 0),
      dailyActiveUsers: ofSet(ACTIVE_USERS_SET.daily).map((row) => ({
        day: row.active_day,
        users: Number(row.users),
      })),
      weeklyActiveUsers: ofSet(ACTIVE_USERS_SET.weekly).map((row) => ({
        weekStart: row.active_week,
        users: Number(row.users),
      })),
      eventsByType: byType.map((row) => ({
        eventType: row.event_type,
        events: Number(row.events),
        distinctUsers: Number(row.distinct_users),
      })),
    };
  }
}

function period(window: OtelWindow): { from: string; to: string } {
  return { from: storeTimeOfUnixNano(window.from), to: storeTimeOfUnixNano(window.to) };
}

function summaryOf(row: TraceFiguresRow): OtelTraceSummaryRecord {
  return {
    traceId: row.trace_id,
    rootName: row.root_name,
    serviceName: row.root_service,
    serviceNames: row.service_list,
    startTime: isoOfUnixNano(row.trace_start_ns),
    endTime: isoOfUnixNano(row.trace_end_ns),
    durationMs: Number(row.trace_duration_ms),
    spanCount: Number(row.span_count),
    errorCount: Number(row.error_count),
    status: row.trace_status,
  };
}

function spanOf(row: SpanRow): OtelSpanRecord {
  return {
    traceId: row.trace_id,
    spanId: row.span_id,
    parentSpanId: row.parent_span_id === '' ? null : row.parent_span_id,
    name: row.name,
    kind: row.kind,
    startTime: isoOfUnixNano(row.start_ns),
    endTime: isoOfUnixNano(row.end_ns),
    startTimeUnixNano: row.start_ns,
    endTimeUnixNano: row.end_ns,
    durationMs: millisOfNanos(row.duration_nanos),
    statusCode: row.status_code,
    statusMessage: row.status_message,
    serviceName: row.service_name,
    scopeName: row.scope_name,
    scopeVersion: row.scope_version,
    attributes: pairsOf(row.attributes),
    resourceAttributes: pairsOf(row.resource_attributes),
    events: jsonArray(row.events).map((event) => {
      const time = unixNanoText(event.time_unix_nano);
      return {
        timeUnixNano: time,
        time: isoOfUnixNano(time),
        name: typeof event.name === 'string' ? event.name : '',
        attributes: attributesOf(event.attributes),
      };
    }),
    links: jsonArray(row.links).map((link) => ({
      traceId: typeof link.trace_id === 'string' ? link.trace_id : '',
      spanId: typeof link.span_id === 'string' ? link.span_id : '',
      attributes: attributesOf(link.attributes),
    })),
  };
}

/** An event time as the projection wrote it: decimal text (or a number); anything else is 0. */
function unixNanoText(value: unknown): string {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  return typeof text === 'string' && /^\d{1,20}$/.test(text) ? text : '0';
}

/** Map(String, String) as pairs, ordered by key (the store's map order is the insert order). */
function pairsOf(map: Record<string, string>): OtelAttributeRecord[] {
  return Object.keys(map)
    .sort()
    .map((key) => ({ key, value: map[key] }));
}

/** Event and link attributes are JSON values: text as the span columns hold it (strings as they are). */
function attributesOf(value: unknown): OtelAttributeRecord[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return pairsOf(
    Object.fromEntries(
      Object.entries(value).map(([key, v]) => [key, typeof v === 'string' ? v : JSON.stringify(v)]),
    ),
  );
}

/**
 * The events or links column: a JSON array of objects the projection wrote. An empty text is an
 * empty list; anything else that is not an array of objects is a projection bug, thrown (500).
 */
function jsonArray(text: string): Record<string, unknown>[] {
  if (text === '') return [];
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed))
    throw new Error(`span events/links column is not a JSON array: ${text.slice(0, 80)}`);
  return parsed.filter((item): item is Record<string, unknown> => item !== null && typeof item === 'object');
}
