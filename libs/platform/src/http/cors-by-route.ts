import { ModulesContainer } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config';
import { routeAccessTable } from './route-access-table';

/** A Nest route path (`/connections/:id/report`) as a pattern matching the paths it serves. */
function pathPattern(path: string): RegExp {
  const escaped = path.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/:[A-Za-z0-9_]+/g, '[^/]+').replace(/\*/g, '.*')}/?$`);
}

/**
 * CORS decided per route. The ingestion routes (access decision `ingest`: `POST /t`, OTLP/HTTP,
 * trace batches, run files) answer browsers from CORS_ORIGINS, as the browser collectors need.
 * Every other route (GraphQL, reads, admin) answers only the origins of API_CORS_ORIGINS, none by
 * default: a web page an employee opens cannot read the hub or call a mutation through their
 * browser. A preflight to such a route gets no CORS headers, so the browser never sends the call.
 */
export function enableCorsByRoute(app: NestFastifyApplication, config: AppConfig): void {
  const ingestOrigins = config.CORS_ORIGINS.split(',').map((o) => o.trim());
  const ingestOptions = {
    origin: ingestOrigins.includes('*') ? true : ingestOrigins,
    methods: ['GET', 'POST', 'OPTIONS'],
    maxAge: 600,
  };
  const apiOptions = {
    origin: config.API_CORS_ORIGINS.length > 0 ? [...config.API_CORS_ORIGINS] : false,
    methods: ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
    maxAge: 600,
  };
  // Read from the app's routes on the first request (they are all registered by then).
  let ingestPaths: RegExp[] | undefined;
  const isIngestRoute = (path: string): boolean => {
    ingestPaths ??= routeAccessTable(app.get(ModulesContainer))
      .filter((route) => route.kind === 'http' && route.decision === 'ingest')
      .map((route) => pathPattern(route.path));
    return ingestPaths.some((pattern) => pattern.test(path));
  };
  app.enableCors({
    delegator: (request: FastifyRequest, callback) =>
      callback(null, isIngestRoute(request.url.split('?')[0]) ? ingestOptions : apiOptions),
  });
}
