import { createHash } from 'node:crypto';

/**
 * PR trace batches as IDE plugins send them: each collector owns one trace and posts its batches
 * in order (seq rising), so every event is new and must be stored once.
 */
export interface TraceLoadOptions {
  url: string;
  /** Makes this run's trace ids unique. */
  runId: string;
  eventsPerBatch: number;
  concurrency: number;
  durationMs: number;
}

export interface TraceLoadResult {
  traceIds: string[];
  eventsAcknowledged: number;
  failures: number;
  elapsedMs: number;
  latenciesMs: number[];
}

/** A UUID-shaped id per (run, collector). */
export function traceIdOf(runId: string, collector: number): string {
  const hex = createHash('sha256').update(`${runId}/${collector}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** One batch of a trace: an edit, a command, a test and a commit in turn, with realistic payloads. */
export function traceBatch(traceId: string, firstSeq: number, size: number, prNumber: number): string {
  const events: unknown[] = [];
  const start = Date.UTC(2026, 2, 2, 9);
  for (let i = 0; i < size; i++) {
    const seq = firstSeq + i;
    const ts = new Date(start + seq * 1000).toISOString();
    const kind = seq % 4;
    events.push(
      kind === 0
        ? {
            seq,
            ts,
            type: 'edit',
            payload: {
              file: `src/module_${seq % 40}.py`,
              change_summary: `+${seq % 30}/-${seq % 7}`,
              diff_snippet: '@@ -23,7 +23,10 @@ def handle(payload):',
            },
          }
        : kind === 1
          ? {
              seq,
              ts,
              type: 'command',
              payload: {
                command: 'pytest -q tests/',
                exit_code: seq % 5 === 0 ? 1 : 0,
                stdout_sample: '42 passed in 5.12s',
              },
            }
          : kind === 2
            ? {
                seq,
                ts,
                type: 'test',
                payload: {
                  command: 'pytest -q',
                  passed: 42,
                  failed: seq % 9 === 0 ? 1 : 0,
                  duration_ms: 5120,
                },
              }
            : {
                seq,
                ts,
                type: 'commit',
                payload: { sha: `abc${seq}`, message: 'fix: handle empty input case', files_changed: 2 },
              },
    );
  }
  return JSON.stringify({
    trace_id: traceId,
    pr_id: `acme/payments#${prNumber}`,
    repo_name: 'acme/payments',
    branch: 'fix/empty-input',
    status: 'open',
    events,
  });
}

export async function runTraceLoad(options: TraceLoadOptions): Promise<TraceLoadResult> {
  const url = new URL('/ingest', options.url);
  const traceIds = Array.from({ length: options.concurrency }, (_, i) => traceIdOf(options.runId, i));
  const result: TraceLoadResult = {
    traceIds,
    eventsAcknowledged: 0,
    failures: 0,
    elapsedMs: 0,
    latenciesMs: [],
  };
  const started = performance.now();
  const deadline = started + options.durationMs;
  await Promise.all(
    traceIds.map(async (traceId, collector) => {
      for (let seq = 1; performance.now() < deadline; seq += options.eventsPerBatch) {
        const sent = performance.now();
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: traceBatch(traceId, seq, options.eventsPerBatch, 1000 + collector),
        });
        const body = (await response.json()) as { accepted_event_ids?: string[] };
        result.latenciesMs.push(performance.now() - sent);
        if (response.ok) result.eventsAcknowledged += body.accepted_event_ids?.length ?? 0;
        else result.failures++;
      }
    }),
  );
  result.elapsedMs = performance.now() - started;
  return result;
}

/** Events stored for the given traces, as the api counts them (GraphQL, one query). */
export async function storedTraceEvents(apiUrl: string, traceIds: readonly string[]): Promise<number> {
  const wanted = new Set(traceIds);
  const response = await fetch(`${apiUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: '{ prTraces(repo: "acme/payments", limit: 500) { items { traceId eventCount } } }',
    }),
  });
  const body = (await response.json()) as {
    data: { prTraces: { items: { traceId: string; eventCount: number }[] } };
  };
  return body.data.prTraces.items
    .filter((t) => wanted.has(t.traceId))
    .reduce((sum, t) => sum + t.eventCount, 0);
}
