import { type ConfigOf, type ConfigVariables, intVar } from '@th/platform';

/**
 * The domain's own environment variables. Connections, their tokens and rate limits are data
 * (managed through the DevLake routes and GraphQL), not settings.
 */
export const DEVELOPER_REPORTS_CONFIG = {
  DEVLAKE_MAX_REPORT_AGE_DAYS: intVar(
    'Oldest daily report accepted, in days before today (older ones get 400); 0: any since 1970-01-01',
    0,
    { min: 0, max: 36_500 },
  ),
  CONNECTION_TOKEN_HASH_COST: intVar(
    "log2 of scrypt's N for new connection secret-token hashes (15: 32 MiB and about 90 ms a check; each check of a new token pays it, a known one is remembered). Existing hashes keep the cost they were made with",
    15,
    { min: 10, max: 20 },
  ),
} satisfies ConfigVariables;

export type DeveloperReportsConfig = ConfigOf<typeof DEVELOPER_REPORTS_CONFIG>;

/** Injection token of {@link DeveloperReportsConfig}. */
export const DEVELOPER_REPORTS_SETTINGS = Symbol('DEVELOPER_REPORTS_SETTINGS');
