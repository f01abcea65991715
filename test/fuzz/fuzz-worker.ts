import { parentPort, workerData } from 'node:worker_threads';
import { type CampaignOptions, runCampaign } from './fuzz-campaign';
import type { WorkerMessage } from './run-fuzz';

/** The load generator's thread: runs the campaign and posts its window and result to the host. */
const port = parentPort;
if (!port) throw new Error('fuzz-worker.ts runs in a worker thread started by run-fuzz.ts');
const post = (message: WorkerMessage) => port.postMessage(message);

runCampaign((workerData as { options: CampaignOptions }).options, (phase) => post({ type: phase })).then(
  (result) => post({ type: 'result', result }),
  (error: unknown) =>
    post({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
);
