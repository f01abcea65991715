import type { MergedAttributes } from './merged-attributes';

/** The analytics tables of the telemetry processor we replace. */
export const ANALYTICS_TABLES = ['user_activity', 'endpoint_usage', 'feature_usage'] as const;
export type AnalyticsTable = (typeof ANALYTICS_TABLES)[number];

/** SpanKind SERVER. */
const SERVER = 2;

/** Where a span goes, and which rule said so (kept in tests and in the README's table). */
export interface SpanRoute {
  /** The analytics table; undefined when no rule matched (the span is still in `spans`). */
  readonly table: AnalyticsTable | undefined;
  readonly rule: RuleName;
}

export type RuleName =
  | 'event.category'
  | 'event.category (unknown value)'
  | 'collector: event.type login/logout'
  | 'collector: http.method'
  | 'collector: feature.name'
  | 'semconv: http.request.method'
  | 'semconv: SERVER span with a route'
  | 'none';

const present = (value: unknown): boolean => value !== undefined && value !== null && value !== '';

/**
 * The routing rules, in the order they are tried (attributes are the resource's merged with the
 * span's, the span's winning):
 *
 * | # | condition                                               | table            |
 * |---|---------------------------------------------------------|------------------|
 * | 1 | `event.category` is set: its value, when it names a table; any other value routes nowhere | as named |
 * | 2 | `event.type` is `login` or `logout`                     | user_activity    |
 * | 3 | `http.method` is present                                | endpoint_usage   |
 * | 4 | `feature.name` is present                               | feature_usage    |
 * | 5 | `http.request.method` is present                        | endpoint_usage   |
 * | 6 | a SERVER span with `http.route` or `url.path`           | endpoint_usage   |
 *
 * Rules 2 to 4 are the old collector's transform step, where a later rule overwrote an earlier
 * one: the last of them that matches wins. Rules 5 and 6 (OpenTelemetry semantic conventions) are
 * tried only when none of 1 to 4 applies.
 */
export function routeSpan(attributes: MergedAttributes, kind: number): SpanRoute {
  const category = attributes.get('event.category');
  if (present(category)) {
    return (ANALYTICS_TABLES as readonly unknown[]).includes(category)
      ? { table: category as AnalyticsTable, rule: 'event.category' }
      : { table: undefined, rule: 'event.category (unknown value)' };
  }
  let route: SpanRoute | undefined;
  const eventType = attributes.get('event.type');
  if (eventType === 'login' || eventType === 'logout') {
    route = { table: 'user_activity', rule: 'collector: event.type login/logout' };
  }
  if (present(attributes.get('http.method')))
    route = { table: 'endpoint_usage', rule: 'collector: http.method' };
  if (present(attributes.get('feature.name')))
    route = { table: 'feature_usage', rule: 'collector: feature.name' };
  if (route) return route;
  if (present(attributes.get('http.request.method'))) {
    return { table: 'endpoint_usage', rule: 'semconv: http.request.method' };
  }
  if (kind === SERVER && (present(attributes.get('http.route')) || present(attributes.get('url.path')))) {
    return { table: 'endpoint_usage', rule: 'semconv: SERVER span with a route' };
  }
  return { table: undefined, rule: 'none' };
}
