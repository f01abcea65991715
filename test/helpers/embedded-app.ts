import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@th/platform';
import { type RunningApp, startEmbedded } from '../../apps/embedded/src/start-embedded';
import { spawnApp } from './spawn-app';

export interface TestApp extends RunningApp {
  dataDir: string;
  /** Stops the app; the data directory stays for a restart. */
  stop(): Promise<void>;
}

/** A fresh data directory, removed by `removeDataDir`. */
export function makeDataDir(prefix = 'th-e2e-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDataDir(dataDir: string): void {
  rmSync(dataDir, { recursive: true, force: true });
}

/** Starts the embedded app in this process on a free loopback port. */
export async function startTestApp(dataDir = makeDataDir(), env: NodeJS.ProcessEnv = {}): Promise<TestApp> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    // OTLP/gRPC off unless a test asks for it: many apps run side by side, 4317 is one port.
    OTLP_GRPC_PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    ...env,
  });
  const running = await startEmbedded(config);
  return { ...running, dataDir, stop: () => running.app.close() };
}

export interface EmbeddedProcess {
  child: ChildProcess;
  url: string;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

/**
 * The compiled embedded app (`npm start`) as its own OS process on a free loopback port: for tests
 * of signals, or that measure the server without the test runner sharing its event loop and heap.
 * Its start-up line is logged at `log` level: LOG_LEVEL must let it through.
 */
export async function spawnEmbedded(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<EmbeddedProcess> {
  const { child, port, exited } = await spawnApp(
    'dist/apps/embedded/src/main.js',
    { DATA_DIR: dataDir, ...env },
    /listening on http:\/\/[^:]+:(\d+)/,
  );
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
