import { SetMetadata } from '@nestjs/common';

/**
 * Who may call a route or a GraphQL field, decided where it is declared and enforced by the access
 * guard (libs/access). Every route must carry one: a route without a decision is refused.
 *
 * - `public`: no credential (health, readiness, metrics).
 * - `ingest`: telemetry in on a route with no credential of its own; open by default, an `ingest`
 *   key when INGEST_AUTH=required.
 * - `read`: reads (GraphQL queries, REST reads, the dashboard).
 * - `admin`: management (connections, mutations, poll/refresh/backfill, keys).
 * - `own-credential`: the route checks a credential of its own (a DevLake connection's token or
 *   key, STATS_SECRET); the hub's keys are not asked for.
 */
export const ACCESS_DECISIONS = ['public', 'ingest', 'read', 'admin', 'own-credential'] as const;
export type AccessDecision = (typeof ACCESS_DECISIONS)[number];

/** The scopes an API key can carry: the decisions a key can satisfy. */
export const API_KEY_SCOPES = ['ingest', 'read', 'admin'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const ACCESS_METADATA = 'th:access';

/** Declares who may call the routes of a controller (on the class) or one route (on the handler). */
export const Access = (decision: AccessDecision) => SetMetadata(ACCESS_METADATA, decision);
