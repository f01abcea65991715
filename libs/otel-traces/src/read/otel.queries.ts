import { ROLLUP_GENERATION } from '@th/store';

/**
 * The SQL of the OpenTelemetry reads; the same text runs on chDB and on a ClickHouse server.
 * Every table is a ReplacingMergeTree keyed by (trace_id, span_id) at the end, and every read
 * says FINAL, so a resent span (or a row the router derived from it) never counts twice.
 * Periods are `{from, to}` DateTime64(9) parameters, `from` included and `to` excluded; the
 * tables are partitioned by month, so a period skips the months outside it.
 * Aliases never reuse a column's name: in ClickHouse an alias would shadow the column in WHERE.
 */

/** Every span column, times as exact nanoseconds (decimal text whatever the session quotes). */
const SPAN_COLUMNS = `trace_id, span_id, parent_span_id, name, kind,
  toString(toUnixTimestamp64Nano(start_time)) AS start_ns,
  toString(toUnixTimestamp64Nano(end_time)) AS end_ns,
  toString(duration_ns) AS duration_nanos,
  status_code, status_message, service_name, scope_name, scope_version,
  attributes, resource_attributes, events, links`;

/** What a trace is filtered and ordered by: start, duration and status (as OtelTraceSummary says). */
const TRACE_FILTER_FIGURES = `
  min(start_time) AS trace_start,
  (toUnixTimestamp64Nano(max(end_time)) - toUnixTimestamp64Nano(trace_start)) / 1e6 AS trace_duration_ms,
  countIf(status_code = 'ERROR') AS error_count,
  multiIf(error_count > 0, 'ERROR', countIf(status_code = 'OK') > 0, 'OK', 'UNSET') AS trace_status`;

/**
 * A trace's figures over the spans read. The root is the span without a parent (the earliest if
 * several); when none was received, the earliest span stands for it.
 */
const TRACE_FIGURES = `${TRACE_FILTER_FIGURES},
  toString(toUnixTimestamp64Nano(trace_start)) AS trace_start_ns,
  toString(toUnixTimestamp64Nano(max(end_time))) AS trace_end_ns,
  if(countIf(parent_span_id = '') > 0, argMinIf(name, start_time, parent_span_id = ''), argMin(name, start_time))
    AS root_name,
  toString(if(countIf(parent_span_id = '') > 0,
    argMinIf(service_name, start_time, parent_span_id = ''), argMin(service_name, start_time))) AS root_service,
  arraySort(groupUniqArray(toString(service_name))) AS service_list,
  count() AS span_count`;

/**
 * All versions of a span share its trace_id, so skipping granules by the bloom filter on trace_id
 * cannot drop the version FINAL keeps; without this setting some versions ignore skip indexes
 * under FINAL and a trace lookup scans every part.
 */
const TRACE_LOOKUP = `FROM spans FINAL WHERE trace_id = {traceId:String}`;
const USE_TRACE_INDEX = `SETTINGS use_skip_indexes_if_final = 1`;

/** The spans of one trace, the earliest first, at most `{maxSpans}`. */
export const TRACE_SPANS = `
  SELECT ${SPAN_COLUMNS} ${TRACE_LOOKUP}
  ORDER BY start_time, span_id
  LIMIT {maxSpans:UInt32}
  ${USE_TRACE_INDEX}`;

/** The figures of one trace over all its spans (no row when the trace is unknown). */
export const TRACE_SUMMARY = `
  SELECT trace_id, ${TRACE_FIGURES} ${TRACE_LOOKUP}
  GROUP BY trace_id
  ${USE_TRACE_INDEX}`;

const SPAN_PERIOD = `start_time >= {from:DateTime64(9, 'UTC')} AND start_time < {to:DateTime64(9, 'UTC')}`;

/**
 * Traces with a span of `{service}` in the period; the whole trace (every service) is then summed.
 * service_name leads the sorting key, so this reads only that service's granules. GLOBAL: on a
 * cluster `spans` is Distributed and a trace's spans lie on several shards, so the set is built
 * once and sent to every shard (a plain IN of a Distributed table is refused there); on one
 * server it is a plain IN.
 */
const OF_SERVICE = `trace_id GLOBAL IN (
    SELECT trace_id FROM spans FINAL WHERE service_name = {service:String} AND ${SPAN_PERIOD})`;

/** Grouping and filters shared by the page and its count; figures over spans in the period. */
function traceGroups(ofService: boolean): string {
  return `FROM spans FINAL
  WHERE ${SPAN_PERIOD}${ofService ? ` AND ${OF_SERVICE}` : ''}
  GROUP BY trace_id
  HAVING ({minDurationMs:Nullable(Float64)} IS NULL OR trace_duration_ms >= {minDurationMs:Nullable(Float64)})
     AND ({status:Nullable(String)} IS NULL OR trace_status = {status:Nullable(String)})`;
}

/**
 * The ids of a page of traces, the latest start first, with the number of matching traces
 * (counted after the filters, before the page: one pass instead of a second grouping). Only the
 * figures the filters and the order need are computed over the whole period; the page's own
 * figures come from {@link TRACE_PAGE_FIGURES} (half the time over millions of spans). A page
 * past the end has no row to carry the count: {@link traceCount} answers then.
 */
export function tracePage(ofService: boolean): string {
  return `
  SELECT trace_id, ${TRACE_FILTER_FIGURES}, count() OVER () AS matching_traces
  ${traceGroups(ofService)}
  ORDER BY trace_start DESC, trace_id
  LIMIT {limit:UInt32} OFFSET {offset:UInt32}`;
}

export function traceCount(ofService: boolean): string {
  return `SELECT count() AS total FROM (SELECT trace_id, ${TRACE_FILTER_FIGURES} ${traceGroups(ofService)})`;
}

/** The figures of the page's traces, over the same period (the bloom filter finds them). */
export const TRACE_PAGE_FIGURES = `
  SELECT trace_id, ${TRACE_FIGURES}
  FROM spans FINAL
  WHERE ${SPAN_PERIOD} AND trace_id IN {traceIds:Array(String)}
  GROUP BY trace_id
  ${USE_TRACE_INDEX}`;

const EVENT_PERIOD = `timestamp >= {from:DateTime64(9, 'UTC')} AND timestamp < {to:DateTime64(9, 'UTC')}`;

/** Rows of the endpoint rollup generations chosen for this request. */
const ROLLED_DAYS = `has(arrayZip({rolledDays:Array(Date)}, {rolledGenerations:Array(DateTime64(3, 'UTC'))}), (day, generation))`;
const OF_SERVICE_OR_ALL = `({service:Nullable(String)} IS NULL OR service_name = {service:Nullable(String)})`;
/**
 * p50, p95 and p99 of duration_ms: `quantiles` keeps a reservoir of 8,192 values per row (exact
 * below that, a uniform sample above); its states merge across days.
 */
const QUANTILES_STATE = `quantilesState(0.5, 0.95, 0.99)(duration_ms)`;
const QUANTILES_MERGE = `quantilesMerge(0.5, 0.95, 0.99)`;

/**
 * Calls per endpoint and method. Closed days come from their rollups (computed from
 * endpoint_usage FINAL, see 0002_endpoint_usage_rollups.sql), the rest of the period is read from
 * endpoint_usage FINAL; both give per-service rows merged here. An error is a status of 500 or
 * more (0, no status, is none).
 */
export const ENDPOINT_USAGE = `
  SELECT endpoint, method,
         if(uniqExact(service_name) = 1, toString(any(service_name)), NULL) AS only_service,
         sum(day_calls) AS calls,
         sum(day_errors) AS failed_calls,
         sum(day_total_ms) / calls AS mean_ms,
         ${QUANTILES_MERGE}(day_durations) AS duration_quantiles
  FROM (
    SELECT service_name, endpoint, method, calls AS day_calls, errors AS day_errors,
           total_ms AS day_total_ms, durations AS day_durations
    FROM endpoint_usage_daily
    WHERE ${ROLLED_DAYS} AND ${OF_SERVICE_OR_ALL}
    UNION ALL
    SELECT service_name, endpoint, method, count(), countIf(status_code >= 500), sum(duration_ms),
           ${QUANTILES_STATE}
    FROM endpoint_usage FINAL
    WHERE ${EVENT_PERIOD} AND has({liveDays:Array(Date)}, toDate(timestamp)) AND ${OF_SERVICE_OR_ALL}
    GROUP BY service_name, endpoint, method)
  GROUP BY endpoint, method
  ORDER BY calls DESC, endpoint, method
  LIMIT {limit:UInt32}`;

/** One closed day's rollup, from endpoint_usage FINAL (the store records it after). */
export const ENDPOINT_ROLL_UP = `
  INSERT INTO endpoint_usage_daily
   SELECT {day:Date}, ${ROLLUP_GENERATION}, service_name, endpoint, method, count(), countIf(status_code >= 500),
          sum(duration_ms), ${QUANTILES_STATE}
   FROM endpoint_usage FINAL WHERE toDate(timestamp) = {day:Date}
   GROUP BY service_name, endpoint, method`;

/** Uses per feature and action; users are the non-empty (hashed) user ids. */
export const FEATURE_USAGE = `
  SELECT feature_name, action, count() AS uses, uniqExactIf(user_id, user_id != '') AS distinct_users
  FROM feature_usage FINAL
  WHERE ${EVENT_PERIOD}
  GROUP BY feature_name, action
  ORDER BY uses DESC, feature_name, action
  LIMIT {limit:UInt32}`;

/** The grouping() mask of each set of ACTIVE_USERS (standard: a bit is 1 for a column NOT grouped by). */
export const ACTIVE_USERS_SET = { daily: 0b01, weekly: 0b10, total: 0b11 } as const;

/**
 * Distinct active users per UTC day, per week (from Monday) and over the whole period, in one
 * pass. A user is active on a user event, an endpoint call or a feature use: the three tables
 * with a user id, rows without one left out.
 */
export const ACTIVE_USERS = `
  SELECT grouping(active_day, active_week) AS set_mask, active_day, active_week, uniqExact(user_id) AS users
  FROM (
    -- One row per day and user first: the grouping sets then count thousands of rows, not millions.
    SELECT DISTINCT toDate(timestamp) AS active_day, toMonday(timestamp) AS active_week, user_id
    FROM (
      SELECT timestamp, user_id FROM user_activity FINAL WHERE ${EVENT_PERIOD} AND user_id != ''
      UNION ALL
      SELECT timestamp, user_id FROM endpoint_usage FINAL WHERE ${EVENT_PERIOD} AND user_id != ''
      UNION ALL
      SELECT timestamp, user_id FROM feature_usage FINAL WHERE ${EVENT_PERIOD} AND user_id != ''))
  GROUP BY GROUPING SETS ((active_day), (active_week), ())
  ORDER BY active_day, active_week
  SETTINGS force_grouping_standard_compatibility = 1`;

/** User events per type, the most frequent first. */
export const USER_EVENTS_BY_TYPE = `
  SELECT event_type, count() AS events, uniqExactIf(user_id, user_id != '') AS distinct_users
  FROM user_activity FINAL
  WHERE ${EVENT_PERIOD}
  GROUP BY event_type
  ORDER BY events DESC, event_type`;
