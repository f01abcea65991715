import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@th/platform';
import { type RunningApp, startEmbedded } from '../../apps/embedded/src/start-embedded';

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
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env });
  const running = await startEmbedded(config);
  return { ...running, dataDir, stop: () => running.app.close() };
}

export interface EmbeddedProcess {
  child: import('node:child_process').ChildProcess;
  url: string;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

/**
 * The compiled embedded app (`npm start`) as its own OS process on a free loopback port: for tests
 * of signals, or that measure the server without the test runner sharing its event loop and heap.
 */
export async function spawnEmbedded(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<EmbeddedProcess> {
  const child = spawn(process.execPath, [join(__dirname, '..', '..', 'dist/apps/embedded/src/main.js')], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  // The start-up line is logged at `log` level: LOG_LEVEL must let it through.
  const port = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the embedded app did not start:\n${output}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on http:\/\/[^:]+:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(() => reject(new Error(`the embedded app exited:\n${output}`)));
  });
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
