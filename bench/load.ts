import { Agent, request } from 'node:http';

/** Posts jwc.v1 batches as concurrent collectors; unique events, so every one must be stored. */
export interface LoadOptions {
  url: string;
  /** Tag in the event name, so the run's events can be counted once stored. */
  evt: string;
  eventsPerBatch: number;
  concurrency: number;
  durationMs: number;
  /** Open-loop target in events/s; unset: each collector sends as fast as it is answered. */
  targetEventsPerSecond?: number;
}

export interface LoadResult {
  eventsAcknowledged: number;
  requests: number;
  failures: number;
  elapsedMs: number;
  latenciesMs: number[];
}

let sequence = 0;

function batchBody(evt: string, size: number): string {
  const now = Date.now();
  const events: string[] = [];
  for (let i = 0; i < size; i++) {
    const n = sequence++;
    events.push(
      `{"anon":"user-${n % 5000}","evt":"${evt}","t":${now},"os":"Linux","ext":"1.${n % 7}.0","m":{"n":${n},"duration_ms":${n % 500}}}`,
    );
  }
  return `{"schema":"jwc.v1","batch":[${events.join(',')}]}`;
}

function post(agent: Agent, url: URL, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const url = new URL('/t', options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const result: LoadResult = {
    eventsAcknowledged: 0,
    requests: 0,
    failures: 0,
    elapsedMs: 0,
    latenciesMs: [],
  };
  const started = Date.now();
  const deadline = started + options.durationMs;
  const interval = options.targetEventsPerSecond
    ? (1000 * options.eventsPerBatch * options.concurrency) / options.targetEventsPerSecond
    : 0;
  const collector = async (index: number) => {
    let next = started + (interval * index) / options.concurrency;
    while (Date.now() < deadline) {
      if (interval > 0) {
        const wait = next - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        next += interval;
      }
      const body = batchBody(options.evt, options.eventsPerBatch);
      const sentAt = performance.now();
      try {
        const status = await post(agent, url, body);
        result.requests++;
        if (status === 200) {
          result.eventsAcknowledged += options.eventsPerBatch;
          result.latenciesMs.push(performance.now() - sentAt);
        } else result.failures++;
      } catch {
        result.failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, i) => collector(i)));
  result.elapsedMs = Date.now() - started;
  agent.destroy();
  return result;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
