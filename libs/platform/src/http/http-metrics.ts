import type { FastifyInstance } from 'fastify';
import { histogram } from '../observability/metrics';

const requestDuration = histogram(
  'http_request_duration_seconds',
  'HTTP request latency by route and status',
  ['method', 'route', 'status'] as const,
);

/** Records every request's latency, labelled by the route pattern (never the raw URL). */
export function recordHttpMetrics(fastify: FastifyInstance): void {
  fastify.addHook('onResponse', async (request, reply) => {
    requestDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
}
