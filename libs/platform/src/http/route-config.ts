import type { FastifyRequest } from 'fastify';

/**
 * Nest's metadata key for a route's Fastify config (what `@RouteConfig` sets; the package does not
 * export the constant from its index).
 */
const ROUTE_CONFIG_METADATA = '__fastify_route_config__';

/**
 * Adds entries to a route handler's Fastify config, keeping what other decorators put there
 * (`@RouteConfig` replaces the whole config, so two of them on one route would lose one).
 */
export function mergeRouteConfig(handler: object, entries: Record<string, unknown>): void {
  const current = (Reflect.getMetadata(ROUTE_CONFIG_METADATA, handler) ?? {}) as Record<string, unknown>;
  Reflect.defineMetadata(ROUTE_CONFIG_METADATA, { ...current, ...entries }, handler);
}

/** Gives every route handler of a controller class the entries. */
export function mergeRouteConfigOfClass(
  target: { prototype: unknown },
  entries: Record<string, unknown>,
): void {
  const prototype = target.prototype as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(prototype)) {
    const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
    if (name === 'constructor' || typeof descriptor?.value !== 'function') continue;
    mergeRouteConfig(descriptor.value as object, entries);
  }
}

/** The Fastify config of the route a request matched. */
export function routeConfigOf(request: FastifyRequest): Record<string, unknown> | undefined {
  return request.routeOptions?.config as unknown as Record<string, unknown> | undefined;
}
