import type { FastifyRequest } from 'fastify';
import { mergeRouteConfigOfClass, routeConfigOf } from '../http/route-config';
import type { HttpErrorBody, HttpErrorResponse } from './http-error-body';

/** Fields a route adds to its error bodies: the shape of the API it replaces, beside the hub's own. */
export type ErrorBodyExtras = (body: HttpErrorBody, status: number) => Record<string, unknown>;

const EXTRAS = 'errorBodyExtras';

/**
 * Gives every route of a controller extra error-body fields (kept in each route's Fastify config,
 * so errors raised before the handler, such as a refused body, get them too).
 */
export function WithErrorBodyExtras(extras: ErrorBodyExtras): ClassDecorator {
  return (target) => mergeRouteConfigOfClass(target, { [EXTRAS]: extras });
}

/** The extras of the route a request matched, if it declared any. */
export function errorBodyExtrasOf(request: FastifyRequest): ErrorBodyExtras | undefined {
  const extras = routeConfigOf(request)?.[EXTRAS];
  return typeof extras === 'function' ? (extras as ErrorBodyExtras) : undefined;
}

/** A route's own error encoding: the content type and the body its clients parse. */
export interface RenderedError {
  contentType: string;
  payload: string | Buffer;
}

/** Turns the hub's error response into the body a protocol specifies (for example OTLP's Status). */
export type ErrorRenderer = (response: HttpErrorResponse, request: FastifyRequest) => RenderedError;

const RENDERER = 'errorRenderer';

/**
 * Gives every route of a controller its own error encoding (status and headers stay the hub's),
 * including errors raised before the handler, such as a refused body.
 */
export function RendersErrorsWith(renderer: ErrorRenderer): ClassDecorator {
  return (target) => mergeRouteConfigOfClass(target, { [RENDERER]: renderer });
}

/** The renderer of the route a request matched, if it declared one. */
export function errorRendererOf(request: FastifyRequest): ErrorRenderer | undefined {
  const renderer = routeConfigOf(request)?.[RENDERER];
  return typeof renderer === 'function' ? (renderer as ErrorRenderer) : undefined;
}
