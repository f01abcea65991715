import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AppConfig, createHttpApp, listen, loadConfig } from '@th/platform';
import { makeDataDir, removeDataDir } from './embedded-app';
import { spawnApp } from './spawn-app';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { startProjector } from '../../apps/projector/src/start-projector';

/** Config for a distributed role in tests: loopback, a free port, quiet logs, this suite's broker. */
export function distributedConfig(env: NodeJS.ProcessEnv): AppConfig {
  return loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    // OTLP/gRPC off unless a test asks for it: many apps run side by side, 4317 is one port.
    OTLP_GRPC_PORT: '0',
    KAFKA_BROKERS: process.env.KAFKA_BROKERS,
    KAFKA_TOPIC_PARTITIONS: '3',
    YEARLY_SALT: 'test-salt-of-sufficient-length',
    ...env,
  });
}

export interface RunningRole {
  app: NestFastifyApplication;
  url: string;
  stop(): Promise<void>;
}

export async function startGateway(env: NodeJS.ProcessEnv = {}): Promise<RunningRole> {
  const config = distributedConfig(env);
  const app = await createHttpApp(GatewayModule.forRoot(config), config, 'gateway');
  const port = await listen(app, config);
  return { app, url: `http://127.0.0.1:${port}`, stop: () => app.close() };
}

/** The projector with the api in this process (one chDB directory per process). */
export async function startProjectorWithApi(
  dataDir: string,
  env: NodeJS.ProcessEnv = {},
): Promise<RunningRole> {
  const config = distributedConfig({ DATA_DIR: dataDir, PROJECTOR_SERVE_API: 'true', ...env });
  const { app, port } = await startProjector(config);
  return { app, url: `http://127.0.0.1:${port}`, stop: () => app.close() };
}

/** A consumer group of its own, so suites sharing the broker do not share offsets. */
export function uniqueGroup(): string {
  return `test-${randomUUID()}`;
}

export interface ProjectorProcess {
  child: ChildProcess;
  url: string;
  /** Resolves with the exit code or signal. */
  exited: Promise<number | NodeJS.Signals | null>;
  /** Everything it has written so far, stdout and stderr. */
  output(): string;
}

/** The compiled projector app (+api) as a separate OS process, for crash tests. */
export async function spawnProjector(dataDir: string, env: NodeJS.ProcessEnv): Promise<ProjectorProcess> {
  const { child, port, exited, output } = await spawnApp(
    'dist/apps/projector/src/main.js',
    {
      DATA_DIR: dataDir,
      PROJECTOR_SERVE_API: 'true',
      LOG_LEVEL: 'log',
      KAFKA_TOPIC_PARTITIONS: '3',
      YEARLY_SALT: 'test-salt-of-sufficient-length',
      ...env,
    },
    /health and metrics on port (\d+)/,
  );
  return { child, url: `http://127.0.0.1:${port}`, exited, output };
}

/** Polls until `check` returns a value (not undefined), or fails after the timeout. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 60_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: Error | undefined;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error instanceof Error ? error : new Error(String(error));
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

/**
 * A gateway and a projector (+api) on this suite's own chDB directory and consumer group, started
 * before the suite's tests and stopped after them.
 */
export function distributedAppsForSuite(): {
  readonly gateway: RunningRole;
  readonly projector: RunningRole;
} {
  const dataDir = makeDataDir();
  const apps: { gateway?: RunningRole; projector?: RunningRole } = {};
  beforeAll(async () => {
    apps.gateway = await startGateway();
    apps.projector = await startProjectorWithApi(dataDir, { KAFKA_CONSUMER_GROUP: uniqueGroup() });
  });
  afterAll(async () => {
    await apps.gateway?.stop();
    await apps.projector?.stop();
    removeDataDir(dataDir);
  });
  const started = (role?: RunningRole) => {
    if (!role) throw new Error('the distributed apps are not started yet');
    return role;
  };
  return {
    get gateway() {
      return started(apps.gateway);
    },
    get projector() {
      return started(apps.projector);
    },
  };
}
