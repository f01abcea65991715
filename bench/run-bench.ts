import 'reflect-metadata';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { migrationSources } from '@th/registry';
import { STORE_MIGRATIONS, createClickHouseClient, readAllMigrations, runMigrations } from '@th/store';
import { type CodescanLoadResult, type CodescanPlan, repoName, runCodescanLoad } from './codescan-load';
import { timeDashboardLoads } from './dashboard-load';
import { type DevLakeLoadResult, runDevLakeLoad } from './devlake-load';
import { type LoadResult, percentile, runLoad } from './load';
import { runOtlpLoad, storedEndpointCalls } from './otlp-load';
import { type AppProcess, peakRssMiB, startApp } from './processes';
import { runTraceLoad, storedTraceEvents, traceBatch, traceIdOf } from './trace-load';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startKafka } = require('../../deploy/local/kafka/kafka-local') as {
  startKafka(opts?: object): Promise<{ bootstrap: string; pid: number; stop(o?: object): Promise<void> }>;
};

const { values: args } = parseArgs({
  options: {
    batch: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '32' },
    duration: { type: 'string', default: '20' },
    modes: { type: 'string', default: 'embedded,kafka' },
    'stats-events': { type: 'string', default: '10000000' },
    queries: { type: 'string', default: '30' },
    'projector-nice': { type: 'string', default: '10' },
    'devlake-seconds': { type: 'string', default: '10' },
    'trace-seconds': { type: 'string', default: '20' },
    'replay-events': { type: 'string', default: '10000' },
    'otlp-seconds': { type: 'string', default: '20' },
    'otlp-spans': { type: 'string', default: '512' },
    'otlp-concurrency': { type: 'string', default: '8' },
    'endpoint-spans': { type: 'string', default: '10000000' },
    'codescan-runs': { type: 'string', default: '10000' },
    'codescan-repos': { type: 'string', default: '50' },
    'codescan-findings': { type: 'string', default: '100' },
    'dashboard-loads': { type: 'string', default: '10' },
  },
});
const BATCH = Number(args.batch);
const CONCURRENCY = Number(args.concurrency);
const DURATION_MS = Number(args.duration) * 1000;
const STATS_EVENTS = Number(args['stats-events']);
const DASHBOARD_LOADS = Number(args['dashboard-loads']);
const QUERIES = Number(args.queries);
const PROJECTOR_NICE = Number(args['projector-nice']);
const DEVLAKE_MS = Number(args['devlake-seconds']) * 1000;
const TRACE_MS = Number(args['trace-seconds']) * 1000;
const REPLAY_EVENTS = Number(args['replay-events']);
const OTLP_MS = Number(args['otlp-seconds']) * 1000;
const OTLP_SPANS = Number(args['otlp-spans']);
const OTLP_CONCURRENCY = Number(args['otlp-concurrency']);
const ENDPOINT_SPANS = Number(args['endpoint-spans']);
const CODESCAN_REPOS = Number(args['codescan-repos']);
const CODESCAN_PLAN: CodescanPlan = {
  repos: CODESCAN_REPOS,
  runsPerRepo: Math.ceil(Number(args['codescan-runs']) / Math.max(1, CODESCAN_REPOS)),
  findings: Number(args['codescan-findings']),
};
const SALT = 'bench-salt-of-sufficient-length';

interface ModeResult {
  mode: string;
  eventsPerBatch: number;
  concurrency: number;
  ackEventsPerSec: number;
  endToEndEventsPerSec: number;
  endToEndSeconds: number;
  halfLoadEventsPerSec: number;
  ackP50Ms: number;
  ackP99Ms: number;
  failures: number;
  peakRssMiB: Record<string, number>;
  traces?: TraceModeResult;
  otlp?: OtlpModeResult[];
}

/** OTLP protobuf exports on the same deployment, over HTTP or gRPC. */
interface OtlpModeResult {
  transport: 'http' | 'grpc';
  ackSpansPerSec: number;
  endToEndSpansPerSec: number;
  ackP50Ms: number;
  ackP99Ms: number;
  failures: number;
}

interface EndpointUsageResult {
  storedSpans: number;
  loadSeconds: number;
  p50Ms: number;
  p95Ms: number;
}

/** POST /ingest on the same deployment: PR trace batches, each collector on its own trace. */
interface TraceModeResult {
  ackEventsPerSec: number;
  endToEndEventsPerSec: number;
  ackP50Ms: number;
  ackP99Ms: number;
  failures: number;
}

/** Code-scanning runs pushed to POST /api/runs, then the issue lists read per repo. */
interface CodescanResult {
  plan: CodescanPlan;
  ingest: CodescanLoadResult;
  restIssuesP50Ms: number;
  restIssuesP95Ms: number;
  graphqlIssuesP50Ms: number;
  graphqlIssuesP95Ms: number;
  statsP50Ms: number;
  statsP95Ms: number;
}

interface ReplayResult {
  events: number;
  p50Ms: number;
  p95Ms: number;
}

interface StatsResult {
  storedEvents: number;
  loadSeconds: number;
  restStatsP50Ms: number;
  restStatsP95Ms: number;
  graphqlStatsP50Ms: number;
  graphqlStatsP95Ms: number;
  /** The dashboard overview opened in a fresh browser context each time (undefined: no Chromium). */
  dashboard?: { firstMs: number; p50Ms: number; p95Ms: number; loads: number };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function storedCount(queryUrl: string, evt: string): Promise<number> {
  const response = await fetch(`${queryUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: `query($e: String) { appStats(from: "2000-01-01", to: "2100-01-01", evt: $e) { total } }`,
      variables: { e: evt },
    }),
  });
  const body = (await response.json()) as { data?: { appStats: { total: number } } };
  return body.data?.appStats.total ?? 0;
}

async function waitUntilStored(
  queryUrl: string,
  evt: string,
  expected: number,
  timeoutMs = 600_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const count = await storedCount(queryUrl, evt).catch(() => 0);
    if (count >= expected) return Date.now();
    if (Date.now() > deadline) throw new Error(`only ${count} of ${expected} events stored in time`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function measureMode(
  mode: string,
  gatewayUrl: string,
  queryUrl: string,
  processes: { name: string; pid?: number }[],
  grpcTarget: string,
) {
  process.stderr.write(`[bench] ${mode}: warm-up\n`);
  await runLoad({
    url: gatewayUrl,
    evt: `bench.warmup.${mode}`,
    eventsPerBatch: BATCH,
    concurrency: CONCURRENCY,
    durationMs: 3000,
  });

  process.stderr.write(
    `[bench] ${mode}: ${CONCURRENCY} collectors x ${BATCH}-event batches for ${DURATION_MS / 1000} s\n`,
  );
  const evt = `bench.max.${mode}.${Date.now()}`;
  const started = Date.now();
  const max: LoadResult = await runLoad({
    url: gatewayUrl,
    evt,
    eventsPerBatch: BATCH,
    concurrency: CONCURRENCY,
    durationMs: DURATION_MS,
  });
  const storedAt = await waitUntilStored(queryUrl, evt, max.eventsAcknowledged);
  const ackRate = max.eventsAcknowledged / (max.elapsedMs / 1000);
  const endToEndSeconds = (storedAt - started) / 1000;

  const half = Math.floor(ackRate / 2);
  process.stderr.write(`[bench] ${mode}: latency at half load (${half} events/s)\n`);
  const halfRun = await runLoad({
    url: gatewayUrl,
    evt: `bench.half.${mode}.${Date.now()}`,
    eventsPerBatch: BATCH,
    concurrency: CONCURRENCY,
    durationMs: Math.min(DURATION_MS, 15_000),
    targetEventsPerSecond: half,
  });
  const result: ModeResult = {
    mode,
    eventsPerBatch: BATCH,
    concurrency: CONCURRENCY,
    ackEventsPerSec: Math.round(ackRate),
    endToEndEventsPerSec: Math.round(max.eventsAcknowledged / endToEndSeconds),
    endToEndSeconds: Number(endToEndSeconds.toFixed(1)),
    halfLoadEventsPerSec: Math.round(halfRun.eventsAcknowledged / (halfRun.elapsedMs / 1000)),
    ackP50Ms: Number(percentile(halfRun.latenciesMs, 50).toFixed(1)),
    ackP99Ms: Number(percentile(halfRun.latenciesMs, 99).toFixed(1)),
    failures: max.failures + halfRun.failures,
    peakRssMiB: Object.fromEntries(processes.map((p) => [p.name, Math.round(peakRssMiB(p.pid))])),
  };
  if (TRACE_MS > 0) result.traces = await measureTraces(mode, gatewayUrl, queryUrl);
  if (OTLP_MS > 0) {
    result.otlp = [
      await measureOtlp(mode, 'http', gatewayUrl, queryUrl),
      await measureOtlp(mode, 'grpc', grpcTarget, queryUrl),
    ];
  }
  return result;
}

/** OTLP exports as fast as they are answered, then until every acknowledged span is queryable. */
async function measureOtlp(
  mode: string,
  transport: 'http' | 'grpc',
  target: string,
  queryUrl: string,
): Promise<OtlpModeResult> {
  process.stderr.write(
    `[bench] ${mode}: ${OTLP_CONCURRENCY} exporters x ${OTLP_SPANS}-span OTLP/${transport} protobuf exports for ${OTLP_MS / 1000} s\n`,
  );
  const service = `bench-${mode}-${transport}-${Date.now()}`;
  const started = Date.now();
  const load = await runOtlpLoad({
    target,
    transport,
    service,
    spansPerRequest: OTLP_SPANS,
    concurrency: OTLP_CONCURRENCY,
    durationMs: OTLP_MS,
  });
  const deadline = Date.now() + 300_000;
  for (;;) {
    const stored = await storedEndpointCalls(queryUrl, service);
    if (stored >= load.endpointCallsAcknowledged) break;
    if (Date.now() > deadline)
      throw new Error(`only ${stored} of ${load.endpointCallsAcknowledged} endpoint spans stored`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const endToEndSeconds = (Date.now() - started) / 1000;
  return {
    transport,
    ackSpansPerSec: Math.round(load.spansAcknowledged / (load.elapsedMs / 1000)),
    endToEndSpansPerSec: Math.round(load.spansAcknowledged / endToEndSeconds),
    ackP50Ms: Number(percentile(load.latenciesMs, 50).toFixed(1)),
    ackP99Ms: Number(percentile(load.latenciesMs, 99).toFixed(1)),
    failures: load.failures,
  };
}

/** Trace batches as fast as they are answered, then until every acknowledged event is queryable. */
async function measureTraces(mode: string, gatewayUrl: string, queryUrl: string): Promise<TraceModeResult> {
  process.stderr.write(
    `[bench] ${mode}: ${CONCURRENCY} IDE plugins x ${BATCH}-event trace batches for ${TRACE_MS / 1000} s\n`,
  );
  const started = Date.now();
  const load = await runTraceLoad({
    url: gatewayUrl,
    runId: `${mode}-${started}`,
    eventsPerBatch: BATCH,
    concurrency: CONCURRENCY,
    durationMs: TRACE_MS,
  });
  const deadline = Date.now() + 300_000;
  for (;;) {
    const stored = await storedTraceEvents(queryUrl, load.traceIds);
    if (stored >= load.eventsAcknowledged) break;
    if (Date.now() > deadline)
      throw new Error(`only ${stored} of ${load.eventsAcknowledged} trace events stored`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const endToEndSeconds = (Date.now() - started) / 1000;
  return {
    ackEventsPerSec: Math.round(load.eventsAcknowledged / (load.elapsedMs / 1000)),
    endToEndEventsPerSec: Math.round(load.eventsAcknowledged / endToEndSeconds),
    ackP50Ms: Number(percentile(load.latenciesMs, 50).toFixed(1)),
    ackP99Ms: Number(percentile(load.latenciesMs, 99).toFixed(1)),
    failures: load.failures,
  };
}

/** GET /traces/:id of one long trace (REPLAY_EVENTS events), timed QUERIES times. */
async function benchReplay(): Promise<ReplayResult> {
  return withEmbeddedApp('replay', async (app) => {
    const traceId = traceIdOf('replay', Date.now());
    process.stderr.write(`[bench] replay: storing a ${REPLAY_EVENTS}-event trace\n`);
    for (let seq = 1; seq <= REPLAY_EVENTS; seq += 1000) {
      const response = await fetch(`${app.url}/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: traceBatch(traceId, seq, Math.min(1000, REPLAY_EVENTS - seq + 1), 1),
      });
      if (!response.ok) throw new Error(`POST /ingest answered ${response.status}`);
    }
    const [times] = await timeQueries(async () => {
      const response = await fetch(`${app.url}/traces/${traceId}`);
      const trace = (await response.json()) as { events: unknown[] };
      if (trace.events.length !== REPLAY_EVENTS) throw new Error(`replayed ${trace.events.length} events`);
    });
    return {
      events: REPLAY_EVENTS,
      p50Ms: Math.round(percentile(times, 50)),
      p95Ms: Math.round(percentile(times, 95)),
    };
  });
}

/**
 * CODESCAN_PLAN's runs through POST /api/runs (8 at a time: several action runners), then
 * /api/issues?repo= and GraphQL scanIssues of one repo (statuses over all its runs), and /api/stats.
 */
async function benchCodescan(): Promise<CodescanResult> {
  return withEmbeddedApp('codescan', async (app) => {
    const plan = CODESCAN_PLAN;
    process.stderr.write(
      `[bench] codescan: posting ${plan.repos * plan.runsPerRepo} runs × ${plan.findings} findings over ${plan.repos} repos\n`,
    );
    const ingest = await runCodescanLoad(app.url, plan, 8);
    if (ingest.failures > 0) throw new Error(`${ingest.failures} runs were refused`);
    const stats = (await (await fetch(`${app.url}/api/stats`)).json()) as { total_runs: number };
    if (stats.total_runs !== ingest.runs) throw new Error(`/api/stats counts ${stats.total_runs} runs`);
    let query = 0;
    const repo = () => repoName(query++ % plan.repos);
    process.stderr.write(
      `[bench] codescan: ${QUERIES} queries each of /api/issues, scanIssues, /api/stats\n`,
    );
    const [rest, gql, statsTimes] = await timeQueries(
      async () => {
        const r = await fetch(`${app.url}/api/issues?repo=https://github.com/${repo()}&per_page=50`);
        const body = (await r.json()) as { total: number };
        if (!r.ok || body.total < plan.findings) throw new Error(`/api/issues answered ${r.status}`);
      },
      async () => {
        const r = await fetch(`${app.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            query: `{ scanIssues(repo: "${repo()}", limit: 50) { totalCount items { fingerprint status appearances runNumbers } } }`,
          }),
        });
        const body = (await r.json()) as { errors?: unknown };
        if (body.errors) throw new Error(JSON.stringify(body.errors));
      },
      async () => {
        const r = await fetch(`${app.url}/api/stats`);
        if (!r.ok) throw new Error(`/api/stats answered ${r.status}`);
        await r.json();
      },
    );
    return {
      plan,
      ingest,
      restIssuesP50Ms: Math.round(percentile(rest, 50)),
      restIssuesP95Ms: Math.round(percentile(rest, 95)),
      graphqlIssuesP50Ms: Math.round(percentile(gql, 50)),
      graphqlIssuesP95Ms: Math.round(percentile(gql, 95)),
      statsP50Ms: Math.round(percentile(statsTimes, 50)),
      statsP95Ms: Math.round(percentile(statsTimes, 95)),
    };
  });
}

/** Runs `measure` against an embedded app on a fresh data directory, removed afterwards. */
async function withEmbeddedApp<T>(
  name: string,
  measure: (app: AppProcess, grpcTarget: string) => Promise<T>,
): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), `th-bench-${name}-`));
  const grpcPort = await freePort();
  const app = await startApp('embedded', 'embedded/src/main.js', {
    PORT: String(await freePort()),
    OTLP_GRPC_PORT: String(grpcPort),
    DATA_DIR: dataDir,
    RATE_LIMIT_MAX: '0',
    YEARLY_SALT: SALT,
  });
  try {
    return await measure(app, `127.0.0.1:${grpcPort}`);
  } finally {
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function benchEmbedded(): Promise<ModeResult> {
  return withEmbeddedApp('embedded', (app, grpcTarget) =>
    measureMode('embedded', app.url, app.url, [{ name: 'embedded', pid: app.child.pid }], grpcTarget),
  );
}

async function benchKafka(): Promise<ModeResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'th-bench-kafka-'));
  const broker = await startKafka();
  const apps: AppProcess[] = [];
  try {
    const common = { KAFKA_BROKERS: broker.bootstrap, YEARLY_SALT: SALT, KAFKA_TOPIC_PARTITIONS: '6' };
    apps.push(
      await startApp(
        'projector+api',
        'projector/src/main.js',
        {
          ...common,
          PORT: String(await freePort()),
          OTLP_GRPC_PORT: '0',
          DATA_DIR: dataDir,
          PROJECTOR_SERVE_API: 'true',
          KAFKA_CONSUMER_GROUP: `bench-${Date.now()}`,
        },
        // Sharing two cores, the projector yields to the gateway: acknowledgements stay fast and
        // the projector catches up in the gaps (on separate machines this changes nothing).
        { nice: PROJECTOR_NICE },
      ),
    );
    const grpcPort = await freePort();
    apps.push(
      await startApp('gateway', 'gateway/src/main.js', {
        ...common,
        PORT: String(await freePort()),
        OTLP_GRPC_PORT: String(grpcPort),
        RATE_LIMIT_MAX: '0',
      }),
    );
    const [projector, gateway] = apps;
    return await measureMode(
      'kafka',
      gateway.url,
      projector.url,
      [
        { name: 'gateway', pid: gateway.child.pid },
        { name: 'projector+api', pid: projector.child.pid },
        { name: 'kafka broker', pid: broker.pid },
      ],
      `127.0.0.1:${grpcPort}`,
    );
  } finally {
    for (const app of apps.reverse()) await app.stop();
    await broker.stop({ removeDataDir: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
}

interface DevLakeResult extends DevLakeLoadResult {
  reportsPerSec: number;
  acknowledgedWithWarmup: number;
  stored: number;
}

/** DevLake reports on the embedded app, as the collector sends them (its path, headers, key). */
async function benchDevLake(): Promise<DevLakeResult> {
  return withEmbeddedApp('devlake', async (app) => {
    const created = await fetch(`${app.url}/api/plugins/developer_telemetry/connections`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench' }),
    });
    const connection = (await created.json()) as { id: number; apiKey: { apiKey: string } };
    const load = (runId: string, durationMs: number) =>
      runDevLakeLoad({
        url: app.url,
        connectionId: connection.id,
        apiKey: connection.apiKey.apiKey,
        runId,
        concurrency: CONCURRENCY,
        durationMs,
      });
    process.stderr.write(`[bench] devlake: warm-up\n`);
    const warmup = await load('warmup', 2000);
    process.stderr.write(`[bench] devlake: ${CONCURRENCY} collectors for ${DEVLAKE_MS / 1000} s\n`);
    const runId = `run${Date.now()}`;
    const result = await load(runId, DEVLAKE_MS);
    const counted = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `{ developerMetrics(connectionId: ${connection.id}, limit: 1) { items { date } totalCount } }`,
      }),
    });
    const total = ((await counted.json()) as { data: { developerMetrics: { totalCount: number } } }).data
      .developerMetrics.totalCount;
    return {
      ...result,
      reportsPerSec: Math.round(result.reportsAcknowledged / (result.elapsedMs / 1000)),
      acknowledgedWithWarmup: warmup.reportsAcknowledged + result.reportsAcknowledged,
      // Rows of this connection (a developer and day is one row): must equal every report acknowledged.
      stored: total,
    };
  });
}

/** Fills app_events with generated rows spread over the default /stats window (7 UTC days to now). */
const FILL_APP_EVENTS = `
  INSERT INTO app_events (event_id, ts, evt, anon_hash, user_key, os, ext, vscode, meta, duration_ms, country,
                          region, city, received_at, version)
  SELECT concat('bench:', toString(number)) AS event_id,
         fromUnixTimestamp64Milli(toInt64({now:Int64} - (number * 7919) % {span:Int64})) AS ts,
         ['app.started', 'feature.used', 'api.called', 'file.opened', 'run.completed', 'settings.changed'][number % 6 + 1] AS evt,
         lower(hex(SHA256(toString(number % 250000)))) AS anon_hash,
         reinterpretAsUInt64(reverse(unhex(substring(anon_hash, 1, 16)))) AS user_key,
         ['Linux', 'Darwin', 'Windows_NT'][number % 3 + 1] AS os,
         concat('1.', toString(number % 12), '.0') AS ext,
         '1.90.0' AS vscode,
         '{}' AS meta,
         if(number % 3 = 0, toFloat64(number % 2000), NULL) AS duration_ms,
         ['DE', 'US', 'FR', 'IN', 'BR', ''][number % 6 + 1] AS country,
         '' AS region,
         '' AS city,
         now64(3) AS received_at,
         1 AS version
  FROM numbers({rows:UInt64})`;

/** Times the queries in turn, one at a time, after one untimed round (which computes the rollups). */
async function timeQueries(...runs: (() => Promise<void>)[]): Promise<number[][]> {
  for (const run of runs) await run();
  const times = runs.map(() => [] as number[]);
  for (let i = 0; i < QUERIES; i++) {
    for (const [index, run] of runs.entries()) {
      const started = performance.now();
      await run();
      times[index].push(performance.now() - started);
    }
  }
  return times;
}

/**
 * Runs `measure` against an embedded app on a fresh store that `fill` loaded directly (its
 * background merges finished first: the steady state is what is measured); removed afterwards.
 */
async function withLoadedStore<T>(
  name: string,
  fill: (client: ReturnType<typeof createClickHouseClient>, now: number) => Promise<void>,
  measure: (app: AppProcess, loadSeconds: number, now: number) => Promise<T>,
): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), `th-bench-${name}-`));
  try {
    const loadStarted = Date.now();
    const client = createClickHouseClient({ kind: 'embedded', path: join(dataDir, 'clickhouse') });
    await runMigrations(client, await readAllMigrations([STORE_MIGRATIONS, ...migrationSources()]));
    const now = Date.now();
    await fill(client, now);
    await waitForMerges(client);
    await client.close();
    const loadSeconds = Number(((Date.now() - loadStarted) / 1000).toFixed(1));
    const app = await startApp('embedded', 'embedded/src/main.js', {
      PORT: String(await freePort()),
      OTLP_GRPC_PORT: '0',
      DATA_DIR: dataDir,
      YEARLY_SALT: SALT,
    });
    try {
      return await measure(app, loadSeconds, now);
    } finally {
      await app.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function benchStats(): Promise<StatsResult> {
  process.stderr.write(`[bench] stats: storing ${STATS_EVENTS} events\n`);
  return withLoadedStore(
    'stats',
    async (client, now) => {
      const windowStart = Math.floor(now / 86_400_000) * 86_400_000 - 6 * 86_400_000;
      await client.command({
        query: FILL_APP_EVENTS,
        query_params: { now, span: now - windowStart, rows: STATS_EVENTS },
      });
    },
    async (app, loadSeconds) => {
      const stats = (await (await fetch(`${app.url}/stats`)).json()) as { total: number };
      if (stats.total !== STATS_EVENTS)
        throw new Error(`/stats counts ${stats.total}, expected ${STATS_EVENTS}`);
      process.stderr.write(`[bench] stats: ${QUERIES} queries each of /stats and GraphQL appStats\n`);
      const [rest, gql] = await timeQueries(
        async () => {
          const r = await fetch(`${app.url}/stats`);
          if (!r.ok) throw new Error(`/stats answered ${r.status}`);
          await r.json();
        },
        async () => {
          const r = await fetch(`${app.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              query: `{ appStats { total uniques byEvent { key events users } byOs { key events } byExt { key events }
              daily { key events users } hourly { key events } performance { evt count p50 p95 p99 } geo { byCountry { key events users } } } }`,
            }),
          });
          const body = (await r.json()) as { errors?: unknown };
          if (body.errors) throw new Error(JSON.stringify(body.errors));
        },
      );
      process.stderr.write(`[bench] dashboard: opening the overview ${DASHBOARD_LOADS} times\n`);
      const loads = await timeDashboardLoads(app.url, DASHBOARD_LOADS);
      return {
        dashboard: loads && {
          firstMs: Math.round(loads.times[0]),
          p50Ms: Math.round(percentile(loads.times, 50)),
          p95Ms: Math.round(percentile(loads.times, 95)),
          loads: loads.times.length,
        },
        storedEvents: STATS_EVENTS,
        loadSeconds,
        restStatsP50Ms: Math.round(percentile(rest, 50)),
        restStatsP95Ms: Math.round(percentile(rest, 95)),
        graphqlStatsP50Ms: Math.round(percentile(gql, 50)),
        graphqlStatsP95Ms: Math.round(percentile(gql, 95)),
      };
    },
  );
}

/** Fills endpoint_usage with generated spans over the last 7 UTC days: 40 endpoints, 2 % errors. */
const FILL_ENDPOINT_USAGE = `
  INSERT INTO endpoint_usage (trace_id, span_id, service_name, user_id, organization_id, endpoint, method,
                              status_code, duration_ms, deployment_type, timestamp, event_metadata, received_at, version)
  SELECT lower(hex(MD5(toString(number)))) AS trace_id,
         lower(hex(substring(MD5(toString(number)), 1, 8))) AS span_id,
         'bench-service' AS service_name,
         substring(lower(hex(SHA256(toString(number % 50000)))), 1, 16) AS user_id,
         substring(lower(hex(SHA256(toString(number % 300)))), 1, 16) AS organization_id,
         concat('/api/v1/items/', toString(number % 40)) AS endpoint,
         ['GET', 'GET', 'GET', 'POST', 'PUT'][number % 5 + 1] AS method,
         if(number % 50 = 0, 500, 200) AS status_code,
         toFloat64(number % 997) / 3 AS duration_ms,
         'self-hosted' AS deployment_type,
         fromUnixTimestamp64Milli(toInt64({now:Int64} - (number * 7919) % {span:Int64}), 'UTC') AS timestamp,
         '{}' AS event_metadata,
         now64(3) AS received_at,
         1 AS version
  FROM numbers({rows:UInt64})`;

/** GraphQL endpointUsage over ENDPOINT_SPANS stored endpoint spans (the last 7 days), embedded. */
async function benchEndpointUsage(): Promise<EndpointUsageResult> {
  process.stderr.write(`[bench] endpointUsage: storing ${ENDPOINT_SPANS} endpoint spans\n`);
  const span = 7 * 86_400_000;
  return withLoadedStore(
    'endpoints',
    async (client, now) => {
      await client.command({ query: FILL_ENDPOINT_USAGE, query_params: { now, span, rows: ENDPOINT_SPANS } });
    },
    async (app, loadSeconds, now) => {
      // Whole UTC days, as a dashboard's "last 7 days" asks (and /stats reads): today is included.
      const from = new Date(now - span).toISOString().slice(0, 10);
      const to = new Date(now).toISOString().slice(0, 10);
      process.stderr.write(`[bench] endpointUsage: ${QUERIES} queries\n`);
      const [times] = await timeQueries(async () => {
        const r = await fetch(`${app.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            query: `{ endpointUsage(from: "${from}", to: "${to}") { endpoint method calls errorRate p50Ms p95Ms p99Ms } }`,
          }),
        });
        const body = (await r.json()) as { data?: { endpointUsage: { calls: number }[] }; errors?: unknown };
        if (body.errors) throw new Error(JSON.stringify(body.errors));
        const calls = body.data!.endpointUsage.reduce((sum, e) => sum + e.calls, 0);
        if (calls !== ENDPOINT_SPANS)
          throw new Error(`endpointUsage counts ${calls}, expected ${ENDPOINT_SPANS}`);
      });
      return {
        storedSpans: ENDPOINT_SPANS,
        loadSeconds,
        p50Ms: Math.round(percentile(times, 50)),
        p95Ms: Math.round(percentile(times, 95)),
      };
    },
  );
}

/** Waits for the background merges that follow a bulk load: the steady state is what is measured. */
async function waitForMerges(client: ReturnType<typeof createClickHouseClient>): Promise<void> {
  for (let waited = 0; waited < 120_000; waited += 1_000) {
    const merges = await client.query({
      query: 'SELECT count() AS n FROM system.merges',
      format: 'JSONEachRow',
    });
    if (Number((await merges.json<{ n: string }>())[0].n) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

function printTables(
  modes: ModeResult[],
  stats: StatsResult | undefined,
  devlake: DevLakeResult | undefined,
  replay: ReplayResult | undefined,
  endpoints: EndpointUsageResult | undefined,
  codescan: CodescanResult | undefined,
): void {
  const lines: string[] = [];
  if (modes.length > 0) {
    lines.push(
      `POST /t, ${BATCH}-event jwc.v1 batches, ${CONCURRENCY} concurrent collectors, ${DURATION_MS / 1000} s`,
    );
    lines.push(
      '| mode | acked events/s | end-to-end events/s (until queryable) | ack p50 / p99 at half load | peak RSS (MiB) |',
    );
    lines.push('|---|---:|---:|---:|---|');
    for (const m of modes) {
      const rss = Object.entries(m.peakRssMiB)
        .map(([name, mib]) => `${name} ${mib}`)
        .join(', ');
      lines.push(
        `| ${m.mode} | ${m.ackEventsPerSec.toLocaleString('en')} | ${m.endToEndEventsPerSec.toLocaleString('en')} | ${m.ackP50Ms} / ${m.ackP99Ms} ms (at ${m.halfLoadEventsPerSec.toLocaleString('en')}/s) | ${rss} |`,
      );
    }
  }
  const traced = modes.filter((m) => m.traces);
  if (traced.length > 0) {
    lines.push('');
    lines.push(
      `POST /ingest, ${BATCH}-event PR trace batches, ${CONCURRENCY} concurrent IDE plugins (one trace each), ${TRACE_MS / 1000} s`,
    );
    lines.push(
      '| mode | acked events/s | end-to-end events/s (until queryable) | of /t end-to-end | ack p50 / p99 | failures |',
    );
    lines.push('|---|---:|---:|---:|---:|---:|');
    for (const m of traced) {
      const t = m.traces!;
      const share = Math.round((100 * t.endToEndEventsPerSec) / m.endToEndEventsPerSec);
      lines.push(
        `| ${m.mode} | ${t.ackEventsPerSec.toLocaleString('en')} | ${t.endToEndEventsPerSec.toLocaleString('en')} | ${share} % | ${t.ackP50Ms} / ${t.ackP99Ms} ms | ${t.failures} |`,
      );
    }
  }
  const otlp = modes.filter((m) => m.otlp);
  if (otlp.length > 0) {
    lines.push('');
    lines.push(
      `OTLP protobuf exports, ${OTLP_SPANS} spans each, ${OTLP_CONCURRENCY} concurrent exporters, ${OTLP_MS / 1000} s`,
    );
    lines.push(
      '| mode | transport | acked spans/s | end-to-end spans/s (until queryable) | ack p50 / p99 | failures |',
    );
    lines.push('|---|---|---:|---:|---:|---:|');
    for (const m of otlp) {
      for (const o of m.otlp!) {
        lines.push(
          `| ${m.mode} | ${o.transport} | ${o.ackSpansPerSec.toLocaleString('en')} | ${o.endToEndSpansPerSec.toLocaleString('en')} | ${o.ackP50Ms} / ${o.ackP99Ms} ms | ${o.failures} |`,
        );
      }
    }
  }
  if (endpoints) {
    lines.push('');
    lines.push(
      `GraphQL endpointUsage over ${endpoints.storedSpans.toLocaleString('en')} stored endpoint spans (loaded in ${endpoints.loadSeconds} s), embedded`,
    );
    lines.push('| p50 | p95 |');
    lines.push('|---:|---:|');
    lines.push(`| ${endpoints.p50Ms} ms | ${endpoints.p95Ms} ms |`);
  }
  if (replay) {
    lines.push('');
    lines.push(
      `Trace replay, GET /traces/:id of a ${replay.events.toLocaleString('en')}-event trace, embedded`,
    );
    lines.push('| p50 | p95 |');
    lines.push('|---:|---:|');
    lines.push(`| ${replay.p50Ms} ms | ${replay.p95Ms} ms |`);
  }
  if (stats) {
    lines.push('');
    lines.push(
      `Stats over ${stats.storedEvents.toLocaleString('en')} stored events (loaded in ${stats.loadSeconds} s)`,
    );
    lines.push('| query | p50 | p95 |');
    lines.push('|---|---:|---:|');
    lines.push(`| GET /stats | ${stats.restStatsP50Ms} ms | ${stats.restStatsP95Ms} ms |`);
    lines.push(`| GraphQL appStats | ${stats.graphqlStatsP50Ms} ms | ${stats.graphqlStatsP95Ms} ms |`);
    if (stats.dashboard) {
      lines.push('');
      lines.push(
        `Dashboard overview over the same store, ${stats.dashboard.loads} first loads in Chromium (fresh context each: no cache), navigation to figures on screen`,
      );
      lines.push('| first | p50 | p95 |');
      lines.push('|---:|---:|---:|');
      lines.push(
        `| ${stats.dashboard.firstMs} ms | ${stats.dashboard.p50Ms} ms | ${stats.dashboard.p95Ms} ms |`,
      );
    }
  }
  if (devlake) {
    lines.push('');
    lines.push(
      `DevLake collector reports (POST /api/rest/..., API key), ${CONCURRENCY} concurrent collectors, ${DEVLAKE_MS / 1000} s, embedded`,
    );
    lines.push('| acked reports/s | ack p50 / p99 | failures | acked (with warm-up) / rows stored |');
    lines.push('|---:|---:|---:|---:|');
    lines.push(
      `| ${devlake.reportsPerSec.toLocaleString('en')} | ${devlake.p50Ms} / ${devlake.p99Ms} ms | ${devlake.failures} | ${devlake.acknowledgedWithWarmup.toLocaleString('en')} / ${devlake.stored.toLocaleString('en')} |`,
    );
  }
  if (codescan) {
    const { plan, ingest } = codescan;
    lines.push('');
    lines.push(
      `Code-scanning runs: POST /api/runs of ${ingest.runs.toLocaleString('en')} runs × ${plan.findings} findings over ${plan.repos} repos (8 concurrent), embedded`,
    );
    lines.push('| runs/s | findings/s | ack p50 / p99 | failures |');
    lines.push('|---:|---:|---:|---:|');
    lines.push(
      `| ${ingest.runsPerSec.toLocaleString('en')} | ${ingest.findingsPerSec.toLocaleString('en')} | ${ingest.ackP50Ms} / ${ingest.ackP99Ms} ms | ${ingest.failures} |`,
    );
    lines.push('');
    lines.push(`Issue tracking over those runs (${plan.runsPerRepo} runs of each repo tracked per query)`);
    lines.push('| query | p50 | p95 |');
    lines.push('|---|---:|---:|');
    lines.push(`| GET /api/issues?repo= | ${codescan.restIssuesP50Ms} ms | ${codescan.restIssuesP95Ms} ms |`);
    lines.push(
      `| GraphQL scanIssues(repo) | ${codescan.graphqlIssuesP50Ms} ms | ${codescan.graphqlIssuesP95Ms} ms |`,
    );
    lines.push(`| GET /api/stats (every repo) | ${codescan.statsP50Ms} ms | ${codescan.statsP95Ms} ms |`);
  }
  process.stdout.write(`\n${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const modes: ModeResult[] = [];
  for (const mode of args.modes
    .split(',')
    .map((m) => m.trim())
    .filter((m) => m && m !== 'none')) {
    if (mode === 'embedded') modes.push(await benchEmbedded());
    else if (mode === 'kafka') modes.push(await benchKafka());
    else throw new Error(`unknown mode "${mode}" (embedded, kafka)`);
  }
  const stats = STATS_EVENTS > 0 ? await benchStats() : undefined;
  const devlake = DEVLAKE_MS > 0 ? await benchDevLake() : undefined;
  const replay = REPLAY_EVENTS > 0 ? await benchReplay() : undefined;
  const endpoints = ENDPOINT_SPANS > 0 ? await benchEndpointUsage() : undefined;
  const codescan = CODESCAN_PLAN.runsPerRepo > 0 && CODESCAN_REPOS > 0 ? await benchCodescan() : undefined;
  printTables(modes, stats, devlake, replay, endpoints, codescan);
  const resultsDir = join(__dirname, '..', '..', 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ at: new Date().toISOString(), cpus: 2, modes, stats, devlake, replay, endpoints, codescan }, null, 2)}\n`,
  );
  process.stdout.write(`\nresults written to ${file}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench] failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
