import type { ConfigVariables } from '@th/platform';

/**
 * The domain's own environment variables: none yet. Connections, their tokens and rate limits are
 * data (managed through the DevLake routes and GraphQL), not settings.
 */
export const DEVELOPER_REPORTS_CONFIG = {} satisfies ConfigVariables;
