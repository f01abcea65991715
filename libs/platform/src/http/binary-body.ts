import type { FastifyInstance, FastifyRequest } from 'fastify';
import { UnsupportedMediaTypeError } from '../errors/domain-error';
import { mergeRouteConfig, routeConfigOf } from './route-config';

/** Binary media types a route may take as a raw Buffer (every other route stays JSON-only). */
export const BINARY_MEDIA_TYPES = ['application/x-protobuf'] as const;
export type BinaryMediaType = (typeof BINARY_MEDIA_TYPES)[number];

const BINARY = 'binaryBody';

/** Lets one route take `media` bodies as a Buffer (for example OTLP's protobuf). */
export function AcceptsBinaryBody(media: BinaryMediaType): MethodDecorator {
  return (_target, _key, descriptor) => mergeRouteConfig(descriptor.value as object, { [BINARY]: media });
}

function acceptedBinaryType(request: FastifyRequest): unknown {
  return routeConfigOf(request)?.[BINARY];
}

/**
 * Parses the binary media types for the routes that opted in with {@link AcceptsBinaryBody}; any
 * other route answers 415, as it does for every non-JSON body.
 */
export function acceptBinaryBodiesWhereAllowed(fastify: FastifyInstance): void {
  for (const media of BINARY_MEDIA_TYPES) {
    fastify.addContentTypeParser(media, { parseAs: 'buffer' }, (request, body, done) => {
      if (acceptedBinaryType(request) === media) return done(null, body);
      done(
        new UnsupportedMediaTypeError(`unsupported Content-Type: send the body as application/json`),
        undefined,
      );
    });
  }
}
