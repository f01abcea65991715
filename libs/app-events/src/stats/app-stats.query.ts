/**
 * Every figure of the app usage stats in one pass over `app_events FINAL` (exact: a resent event
 * is one row in every answer), grouped by GROUPING SETS. `grouping(...)` tells the sets apart: a bit
 * is 1 for each column the row is NOT grouped by.
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

/** The grouping() mask of each set. */
export function groupingMask(columns: readonly StatsColumn[]): number {
  return STATS_COLUMNS.reduce(
    (mask, column, i) => (columns.includes(column) ? mask : mask | (1 << (STATS_COLUMNS.length - 1 - i))),
    0,
  );
}

export const FILTERED_EVENTS = `
  SELECT evt, os, ext, vscode, toDate(ts) AS day, toHour(ts) AS hour, country, region, city, anon_hash, duration_ms
  FROM app_events FINAL
  WHERE ts >= {from:DateTime64(3, 'UTC')} AND ts < {to:DateTime64(3, 'UTC')}
    AND ({evt:Nullable(String)} IS NULL OR evt = {evt:Nullable(String)})
    AND ({os:Nullable(String)} IS NULL OR os = {os:Nullable(String)})
    AND ({ext:Nullable(String)} IS NULL OR ext = {ext:Nullable(String)})`;

export const APP_STATS = `
  SELECT grouping(${STATS_COLUMNS.join(', ')}) AS set_mask,
         ${STATS_COLUMNS.join(', ')},
         count() AS events,
         uniqExact(anon_hash) AS users,
         countIf(duration_ms IS NOT NULL) AS timed,
         avgIf(duration_ms, duration_ms IS NOT NULL) AS mean_ms,
         quantilesExactIf(0.5, 0.95, 0.99)(duration_ms, duration_ms IS NOT NULL) AS quantiles_ms
  FROM (${FILTERED_EVENTS})
  GROUP BY GROUPING SETS (${Object.values(STATS_SETS)
    .map((columns) => `(${columns.join(', ')})`)
    .join(', ')})
  SETTINGS force_grouping_standard_compatibility = 1`;

export const LIST_APP_EVENTS = `
  SELECT event_id, toUnixTimestamp64Milli(ts) AS ts, evt, anon_hash, os, ext, vscode, meta, country, region, city
  FROM (SELECT * FROM app_events FINAL
        WHERE ts >= {from:DateTime64(3, 'UTC')} AND ts < {to:DateTime64(3, 'UTC')}
          AND ({evt:Nullable(String)} IS NULL OR evt = {evt:Nullable(String)})
          AND ({os:Nullable(String)} IS NULL OR os = {os:Nullable(String)})
          AND ({ext:Nullable(String)} IS NULL OR ext = {ext:Nullable(String)}))
  ORDER BY ts DESC, event_id
  LIMIT {limit:UInt32} OFFSET {offset:UInt32}`;

export const COUNT_APP_EVENTS = `SELECT count() AS total FROM (${FILTERED_EVENTS})`;
