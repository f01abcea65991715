import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import type { HttpErrorBody } from './http-error-body';

/** Fields a route adds to its error bodies: the shape of the API it replaces, beside the hub's own. */
export type ErrorBodyExtras = (body: HttpErrorBody, status: number) => Record<string, unknown>;

const EXTRAS = 'errorBodyExtras';

/**
 * Gives every route of a controller extra error-body fields (kept in each route's Fastify config,
 * so errors raised before the handler, such as a refused body, get them too).
 */
export function WithErrorBodyExtras(extras: ErrorBodyExtras): ClassDecorator {
  return (target) => {
    const prototype = target.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
      if (name === 'constructor' || typeof descriptor?.value !== 'function') continue;
      RouteConfig({ [EXTRAS]: extras })(prototype, name, descriptor);
    }
  };
}

/** The extras of the route a request matched, if it declared any. */
export function errorBodyExtrasOf(request: FastifyRequest): ErrorBodyExtras | undefined {
  const config = request.routeOptions?.config as unknown as Record<string, unknown> | undefined;
  const extras = config?.[EXTRAS];
  return typeof extras === 'function' ? (extras as ErrorBodyExtras) : undefined;
}
