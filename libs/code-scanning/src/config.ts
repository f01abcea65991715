import { type ConfigOf, type ConfigVariables, intVar, optionalStringVar, urlVar } from '@th/platform';

/**
 * The code-scanning domain's environment variables: run files pushed to `POST /api/runs`, and the
 * old dashboard's outside calls (GitHub, the session service), under the names it read them from.
 */
export const CODE_SCANNING_CONFIG = {
  RUNS_INGEST_TOKEN: optionalStringVar(
    'When set, POST /api/runs requires Authorization: Bearer <this token> (the action sends it)',
  ),
  GITHUB_TOKEN: optionalStringVar(
    'GitHub token for POST /api/refresh (run files of ACTION_REPO) and POST /api/poll-prs (PRs of the fork repos)',
  ),
  ACTION_REPO: optionalStringVar(
    'owner/repo holding the run files under telemetry/runs (POST /api/refresh)',
    {
      pattern: /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/,
      expected: 'owner/repo',
    },
  ),
  GITHUB_API_URL: urlVar('Base URL of the GitHub REST API (default https://api.github.com)'),
  DEVIN_API_KEY: optionalStringVar('Bearer key of the session service, for POST /api/poll'),
  DEVIN_API_URL: urlVar('Base URL of the session service (default https://api.devin.ai/v1)'),
  CACHE_TTL: intVar(
    'Seconds an answer of GitHub or the session service is reused before it is asked again',
    120,
    { min: 0, max: 86_400 },
  ),
  OUTSIDE_TIMEOUT_MS: intVar(
    'Timeout of one call to GitHub or the session service, in milliseconds',
    15_000,
    {
      min: 100,
      max: 300_000,
    },
  ),
  OUTSIDE_RETRIES: intVar(
    'Retries of a call to GitHub or the session service that failed with a 5xx, a network error or a timeout',
    2,
    { min: 0, max: 10 },
  ),
} satisfies ConfigVariables;

export type CodeScanningConfig = ConfigOf<typeof CODE_SCANNING_CONFIG>;

/** Injection token of {@link CodeScanningConfig}. */
export const CODE_SCANNING_SETTINGS = Symbol('CODE_SCANNING_SETTINGS');

export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';
export const DEFAULT_DEVIN_API_URL = 'https://api.devin.ai/v1';
