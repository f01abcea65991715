import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CampaignOptions, CampaignResult, HealthFigures } from './fuzz-campaign';

export type WorkerMessage =
  | { type: 'window-start' | 'window-end' }
  | { type: 'result'; result: CampaignResult }
  | { type: 'error'; message: string };

/**
 * Loads the worker's TypeScript with the same compiler jest uses (@swc/core), types stripped: a
 * worker thread does not go through jest's transform.
 */
const BOOTSTRAP = `
const { readFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { workerData } = require('node:worker_threads');
const load = createRequire(workerData.entry);
const { transformSync } = load('@swc/core');
require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};
load(workerData.entry);
`;

interface HealthPoller {
  stop(): Promise<HealthFigures>;
}

/**
 * The health poller, in a worker thread of its own: the test runner's main thread collects a large
 * heap of its own, and a pause there would be counted against the server.
 */
const HEALTH_POLLER = `
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
let running = true;
parentPort.on('message', () => { running = false; });
(async () => {
  const latencies = [];
  let failures = 0;
  while (running) {
    const started = performance.now();
    try {
      const response = await fetch(workerData.url + '/health', { signal: AbortSignal.timeout(10000) });
      await response.text();
      if (response.status !== 200) failures++;
    } catch {
      failures++;
    }
    const took = performance.now() - started;
    latencies.push(took);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, workerData.intervalMs - took)));
  }
  parentPort.postMessage({ latencies, failures });
})();
`;

/** Polls `/health` every `intervalMs`, one request at a time, until stopped. */
function pollHealth(baseUrl: string, intervalMs: number): HealthPoller {
  const worker = new Worker(HEALTH_POLLER, { eval: true, workerData: { url: baseUrl, intervalMs } });
  const polled = new Promise<{ latencies: number[]; failures: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    stop: async () => {
      worker.postMessage('stop');
      const { latencies, failures } = await polled;
      await worker.terminate();
      const sorted = [...latencies].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
      return {
        polls: latencies.length,
        failures,
        maxMs: sorted.at(-1) ?? 0,
        p99Ms: at(0.99),
        p50Ms: at(0.5),
        over100Ms: latencies.filter((ms) => ms >= 100).length,
      };
    },
  };
}

/**
 * Runs a fuzz campaign with the load generator in a worker thread, so that generating and sending
 * the corpus does not share an event loop with the app under test, and polls `/health` from this
 * thread (the app's) for as long as the load lasts.
 */
export function runFuzz(
  options: CampaignOptions,
  healthIntervalMs = 50,
): Promise<{ result: CampaignResult; health: HealthFigures }> {
  const worker = new Worker(BOOTSTRAP, {
    eval: true,
    workerData: { entry: join(__dirname, 'fuzz-worker.ts'), options },
  });
  let poller: HealthPoller | undefined;
  let health: Promise<HealthFigures> | undefined;
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
      void worker.terminate();
    };
    worker.on('message', (message: WorkerMessage) => {
      switch (message.type) {
        case 'window-start':
          poller = pollHealth(options.url, healthIntervalMs);
          break;
        case 'window-end':
          health = poller?.stop();
          break;
        case 'result': {
          const figures = health ?? poller?.stop();
          if (!figures) return finish(() => reject(new Error('the fuzz worker never opened its window')));
          figures.then(
            (h) => finish(() => resolve({ result: message.result, health: h })),
            (error: unknown) =>
              finish(() => reject(error instanceof Error ? error : new Error(String(error)))),
          );
          break;
        }
        case 'error':
          void poller?.stop();
          finish(() => reject(new Error(`the fuzz worker failed: ${message.message}`)));
          break;
      }
    });
    worker.on('error', (error) => finish(() => reject(error)));
    worker.on('exit', (code) =>
      finish(() => reject(new Error(`the fuzz worker exited (${code}) before its result`))),
    );
  });
}
