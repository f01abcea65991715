import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '../config/app-config';
import { HttpExceptionFilter } from '../errors/http-exception.filter';
import { createLogger } from '../logging/logger';
import { startDefaultMetrics } from '../observability/metrics';
import { trustProxyOption } from './client-ip';
import { capConnectionsPerIp } from './connection-cap';
import { enableCorsByRoute } from './cors-by-route';
import { acceptBinaryBodiesWhereAllowed } from './binary-body';
import { acceptCompressedBodies } from './gzip-request';
import { acceptJsonBodiesOnly } from './json-body';
import { recordHttpMetrics } from './http-metrics';

/**
 * Builds a Nest app on Fastify with the project's HTTP conventions: body limit, gzip bodies,
 * JSON error bodies, request metrics, structured logs and graceful shutdown on SIGTERM/SIGINT.
 */
export async function createHttpApp(
  rootModule: Type<unknown> | DynamicModule,
  config: AppConfig,
  appName: string,
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.BODY_LIMIT_BYTES,
    logger: false,
    trustProxy: trustProxyOption(config),
    // A client that trickles its request or sits idle cannot hold a connection for ever.
    requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
    keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    connectionTimeout: config.HTTP_CONNECTION_TIMEOUT_MS,
    http: {
      headersTimeout: Math.min(config.HTTP_HEADERS_TIMEOUT_MS, config.HTTP_REQUEST_TIMEOUT_MS),
      // Node enforces the two timeouts above on this tick (30 s by default, too coarse for them).
      connectionsCheckingInterval: 1_000,
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(rootModule, adapter, {
    logger: createLogger(config, appName),
    bufferLogs: false,
    // Start-up errors reach the caller (runMain exits with a message; tests assert on them).
    abortOnError: false,
    // Bodies are parsed by acceptJsonBodiesOnly: JSON only, bounded in depth.
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  capConnectionsPerIp(fastify.server, config.HTTP_MAX_CONNECTIONS_PER_IP, config.TRUSTED_PROXIES);
  acceptCompressedBodies(fastify);
  acceptJsonBodiesOnly(fastify);
  acceptBinaryBodiesWhereAllowed(fastify);
  recordHttpMetrics(fastify);
  app.useGlobalFilters(new HttpExceptionFilter());
  enableCorsByRoute(app, config);
  app.enableShutdownHooks();
  startDefaultMetrics();
  return app;
}

/**
 * Starts listening and returns the bound port (useful with PORT=0 in tests). When start-up fails
 * (a port in use, a store that cannot open), what already started is closed before the error is
 * thrown: a caller that goes on in the same process (a test, a supervisor) is not left holding a
 * store session or consumers.
 */
export async function listen(app: INestApplication, config: AppConfig): Promise<number> {
  try {
    await app.listen(config.PORT, config.HOST);
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  const server = app.getHttpServer() as import('node:net').Server;
  const address = server.address();
  return typeof address === 'object' && address ? address.port : config.PORT;
}
