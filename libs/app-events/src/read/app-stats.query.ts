import { ROLLUP_GENERATION } from '@th/store';

/**
 * The SQL behind the app usage stats. Every figure is exact: events are counted from rollups of
 * `app_events FINAL` for closed days whose rollup is current, and from `app_events FINAL` itself
 * for the rest of the window (today, days changed since their rollup, partial days), so a resent
 * event never counts twice. Distinct users come from `app_users_daily` (one row per day and user)
 * for whole days and from `app_events` for partial days; a duplicate adds no user.
 */
export const STATS_COLUMNS = [
  'evt',
  'os',
  'ext',
  'vscode',
  'day',
  'hour',
  'country',
  'region',
  'city',
] as const;
export type StatsColumn = (typeof STATS_COLUMNS)[number];

export const STATS_SETS = {
  total: [],
  byEvent: ['evt'],
  byOs: ['os'],
  byExt: ['ext'],
  byVscode: ['vscode'],
  daily: ['day'],
  hourly: ['hour'],
  byCountry: ['country'],
  byRegion: ['country', 'region'],
  byCity: ['country', 'region', 'city'],
} as const satisfies Record<string, readonly StatsColumn[]>;

export type StatsSet = keyof typeof STATS_SETS;

/** The grouping() mask of a set: a bit is 1 for each column the row is NOT grouped by. */
export function groupingMask(columns: readonly StatsColumn[]): number {
  return STATS_COLUMNS.reduce(
    (mask, column, i) => (columns.includes(column) ? mask : mask | (1 << (STATS_COLUMNS.length - 1 - i))),
    0,
  );
}

const FILTERS = `({evt:Nullable(String)} IS NULL OR evt = {evt:Nullable(String)})
    AND ({os:Nullable(String)} IS NULL OR os = {os:Nullable(String)})
    AND ({ext:Nullable(String)} IS NULL OR ext = {ext:Nullable(String)})`;

/** Rows of the rollup generations chosen for this request. */
const ROLLED = `has(arrayZip({rolledDays:Array(Date)}, {rolledGenerations:Array(DateTime64(3, 'UTC'))}), (day, generation))`;

/** Events of the window not covered by a rollup (the day list keeps the primary index in use). */
const LIVE = `ts >= {from:DateTime64(3, 'UTC')} AND ts < {to:DateTime64(3, 'UTC')} AND has({liveDays:Array(Date)}, toDate(ts))`;

const CUBE = `
  SELECT evt, os, ext, vscode, day, hour, country, region, city, events
  FROM app_stats_cube WHERE ${ROLLED} AND ${FILTERS}
  UNION ALL
  SELECT evt, os, ext, vscode, toDate(ts) AS day, toHour(ts) AS hour, country, region, city, count() AS events
  FROM app_events FINAL WHERE ${LIVE} AND ${FILTERS}
  GROUP BY evt, os, ext, vscode, day, hour, country, region, city`;

export const STATS_COUNTS = `
  SELECT grouping(${STATS_COLUMNS.join(', ')}) AS set_mask,
         evt, os, ext, vscode, toString(day) AS day, hour, country, region, city,
         sum(events) AS events
  FROM (${CUBE})
  GROUP BY GROUPING SETS (${Object.values(STATS_SETS)
    .map((columns) => `(${columns.join(', ')})`)
    .join(', ')})
  SETTINGS force_grouping_standard_compatibility = 1`;

export const STATS_PERFORMANCE = `
  SELECT evt, sum(n) AS count, sum(ms * n) / sum(n) AS mean,
         quantilesExactWeighted(0.5, 0.95, 0.99)(ms, n) AS quantiles
  FROM (
    SELECT evt, duration_ms AS ms, n FROM app_stats_durations WHERE ${ROLLED} AND ${FILTERS}
    UNION ALL
    -- 'ms', not 'duration_ms': a ClickHouse alias would shadow the column in WHERE.
    SELECT evt, assumeNotNull(duration_ms) AS ms, count() AS n
    FROM app_events FINAL WHERE ${LIVE} AND duration_ms IS NOT NULL AND ${FILTERS}
    GROUP BY evt, ms)
  GROUP BY evt`;

/**
 * Distinct users in total and per day. Whole days without filters read app_users_daily; the rest
 * reads app_events (no FINAL needed: a duplicate event is the same user on the same day).
 */
export const STATS_USERS = `
  SELECT grouping(day) AS is_total, toString(day) AS day, uniqExact(user_key) AS users
  FROM (
    SELECT day, user_key FROM app_users_daily WHERE has({userDays:Array(Date)}, day)
    UNION ALL
    SELECT toDate(ts) AS day, user_key FROM app_events
    WHERE ts >= {from:DateTime64(3, 'UTC')} AND ts < {to:DateTime64(3, 'UTC')}
      AND has({userScanDays:Array(Date)}, toDate(ts)) AND ${FILTERS})
  GROUP BY GROUPING SETS ((), (day))
  SETTINGS force_grouping_standard_compatibility = 1`;

/** Distinct users per hour of the day, from app_users_hourly for whole days (as STATS_USERS). */
export const STATS_HOURLY_USERS = `
  SELECT hour, uniqExact(user_key) AS users
  FROM (
    SELECT hour, user_key FROM app_users_hourly WHERE has({userDays:Array(Date)}, day)
    UNION ALL
    SELECT toHour(ts) AS hour, user_key FROM app_events
    WHERE ts >= {from:DateTime64(3, 'UTC')} AND ts < {to:DateTime64(3, 'UTC')}
      AND has({userScanDays:Array(Date)}, toDate(ts)) AND ${FILTERS})
  GROUP BY hour`;

export const ROLL_UP_CUBE = `
  INSERT INTO app_stats_cube
  SELECT {day:Date}, ${ROLLUP_GENERATION}, toHour(ts), evt, os, ext, vscode, country, region, city, count()
  FROM app_events FINAL WHERE toDate(ts) = {day:Date}
  GROUP BY toHour(ts), evt, os, ext, vscode, country, region, city`;

export const ROLL_UP_DURATIONS = `
  INSERT INTO app_stats_durations
  SELECT {day:Date}, ${ROLLUP_GENERATION}, evt, os, ext, assumeNotNull(duration_ms), count()
  FROM app_events FINAL WHERE toDate(ts) = {day:Date} AND duration_ms IS NOT NULL
  GROUP BY evt, os, ext, duration_ms`;

const WINDOW = `ts >= {from:DateTime64(3, 'UTC')} AND ts < {to:DateTime64(3, 'UTC')} AND ${FILTERS}`;

export const LIST_APP_EVENTS = `
  SELECT event_id, toUnixTimestamp64Milli(ts) AS ts, evt, anon_hash, os, ext, vscode, meta, country, region, city
  FROM (SELECT * FROM app_events FINAL WHERE ${WINDOW})
  ORDER BY ts DESC, event_id
  LIMIT {limit:UInt32} OFFSET {offset:UInt32}`;

export const COUNT_APP_EVENTS = `SELECT count() AS total FROM app_events FINAL WHERE ${WINDOW}`;

/**
 * The newest event's time in the window. No FINAL: copies of one event share its time, so the
 * maximum is the same, and only the ts column is read (a dashboard's "last event", not a page).
 */
export const LATEST_APP_EVENT = `
  SELECT count() AS events, toUnixTimestamp64Milli(max(ts)) AS latest FROM app_events WHERE ${WINDOW}`;
