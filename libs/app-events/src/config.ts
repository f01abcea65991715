import { type ConfigOf, type ConfigVariables, intVar, optionalStringVar } from '@th/platform';

/** The app-events domain's environment variables (jwc.v1 at POST /t, /stats). */
export const APP_EVENTS_CONFIG = {
  JWC_MAX_BATCH: intVar('Most events in one POST /t batch', 1000, { min: 1, max: 100_000 }),
  JWC_MAX_EVENT_AGE_DAYS: intVar(
    'Oldest event POST /t accepts, in days before now (older ones are refused per event); 0: any since 2000',
    0,
    { min: 0, max: 36_500 },
  ),
  GEO_DB: optionalStringVar('Path of a MaxMind GeoLite2-City .mmdb file; unset: no geo'),
  STATS_WINDOW_DAYS: intVar('Days GET /stats covers', 7, { min: 1, max: 3660 }),
  STATS_SECRET: optionalStringVar(
    'Key for the debug endpoints (header x-stats-key); unset: debug endpoints off',
  ),
  LOG_DIR: optionalStringVar(
    'When set, accepted app events are also written there as NDJSON, one file per day',
  ),
} satisfies ConfigVariables;

export type AppEventsConfig = ConfigOf<typeof APP_EVENTS_CONFIG>;

/** Injection token of {@link AppEventsConfig}. */
export const APP_EVENTS_SETTINGS = Symbol('APP_EVENTS_SETTINGS');
