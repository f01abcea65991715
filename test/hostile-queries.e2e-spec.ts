import type { ClickHouseClient } from '@clickhouse/client';
import { CLICKHOUSE } from '@th/store';
import { type TestApp, makeDataDir, removeDataDir, startTestApp } from './helpers/embedded-app';
import { request } from './helpers/http';

/* eslint-disable @typescript-eslint/no-explicit-any -- tests read arbitrary JSON answers */

/** /health must answer within this while hostile queries run (the README's promise). */
const HEALTH_BUDGET_MS = 100;

/** endpoint_usage rows loaded for the long-running aggregate: a week of distinct users. */
const LOADED_SPANS = 3_000_000;

/**
 * Issue 14's hostile queries against the embedded app, each refused before it runs or cut off by
 * the store with an error naming the limit, while /health keeps answering: 10,000 aliases, depth
 * hidden in named fragments, a document past the token limit, a costly query, pages past the cap,
 * and an aggregate that runs past CLICKHOUSE_QUERY_TIMEOUT_SECONDS.
 */
describe('hostile GraphQL queries (embedded)', () => {
  const dataDir = makeDataDir();
  let app: TestApp;
  const probes: number[] = [];
  let probing = true;
  let probeLoop: Promise<void> = Promise.resolve();
  let probeError: unknown;

  beforeAll(async () => {
    app = await startTestApp(dataDir, { CLICKHOUSE_QUERY_TIMEOUT_SECONDS: '1' });
    const client = app.app.get<ClickHouseClient>(CLICKHOUSE);
    const now = Date.now();
    await client.command({
      query: `INSERT INTO endpoint_usage (trace_id, span_id, service_name, user_id, organization_id, endpoint,
                method, status_code, duration_ms, deployment_type, timestamp, event_metadata, received_at, version)
              SELECT lower(hex(MD5(toString(number)))), lower(hex(substring(MD5(toString(number)), 1, 8))), 'svc',
                     lower(hex(substring(SHA256(toString(number)), 1, 8))), 'org', '/api/x', 'GET', 200, 1, 'cloud',
                     fromUnixTimestamp64Milli(toInt64({now:Int64} - (number * 7919) % 604800000), 'UTC'), '{}', now64(3), 1
              FROM numbers({rows:UInt64})`,
      query_params: { now, rows: LOADED_SPANS },
      clickhouse_settings: { max_execution_time: 0 },
    });
    // /health, every 25 ms, one at a time, for the whole suite. The loop is awaited before the app
    // stops: a probe still in flight then would reject in whichever suite this worker runs next.
    probeLoop = (async () => {
      while (probing) {
        const started = performance.now();
        await fetch(`${app.url}/health`);
        probes.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })().catch((error: unknown) => {
      probeError = error;
    });
  }, 120_000);

  afterAll(async () => {
    probing = false;
    await probeLoop;
    await app?.stop();
    removeDataDir(dataDir);
  });

  const query = (text: string) => request(`${app.url}/graphql`, { body: { query: text } });
  const messages = (answer: { body: any }) =>
    (answer.body.errors ?? []).map((e: any) => e.message).join(' | ');

  it('refuses 10,000 aliases while parsing, naming the token limit', async () => {
    const aliases = Array.from({ length: 10_000 }, (_, i) => `a${i}: __typename`).join(' ');
    const answer = await query(`{ ${aliases} }`);
    expect(answer.status).toBe(400);
    expect(messages(answer)).toMatch(/Document contains more th\w+ 2000 tokens/);
    expect(answer.body.data).toBeUndefined();
  });

  it('refuses more aliases than GRAPHQL_MAX_ALIASES, naming the limit', async () => {
    const aliases = Array.from({ length: 16 }, (_, i) => `t${i}: scanStats { totalRuns }`).join(' ');
    const answer = await query(`{ ${aliases} }`);
    expect(answer.status).toBe(400);
    expect(messages(answer)).toMatch(/Aliases limit of 15 exceeded, found 16/);
  });

  it('counts depth through named fragments: a depth hidden in fragments is refused', async () => {
    const TRACE = '0123456789abcdef0123456789abcdef';
    // Each fragment goes one level down the span tree: roots, then nine levels of children.
    const levels = (n: number) =>
      Array.from(
        { length: n },
        (_, i) => `fragment C${i} on OtelSpan { name ${i < n - 1 ? `children { ...C${i + 1} }` : ''} }`,
      ).join('\n');
    const within = await query(`{ trace(traceId: "${TRACE}") { roots { ...C0 } } }\n${levels(6)}`);
    expect(within.status).toBe(200);
    const hidden = await query(`{ trace(traceId: "${TRACE}") { roots { ...C0 } } }\n${levels(10)}`);
    expect(hidden.status).toBe(400);
    expect(messages(hidden)).toMatch(/Query depth limit of 8 exceeded/);
    // Introspection is not counted: tools need its deep selections.
    const introspection = await query(
      '{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } }',
    );
    expect(introspection.status).toBe(200);
  });

  it('refuses an operation whose cost is past GRAPHQL_MAX_COST, naming the limit', async () => {
    const level = (depth: number): string =>
      `name kind durationMs statusCode serviceName spanId${depth > 0 ? ` children { ${level(depth - 1)} }` : ''}`;
    const trees = Array.from(
      { length: 15 },
      (_, i) => `t${i}: trace(traceId: "0123456789abcdef0123456789abcdef") { roots { ${level(5)} } }`,
    ).join(' ');
    const answer = await query(`{ ${trees} }`);
    expect(answer.status).toBe(400);
    expect(messages(answer)).toMatch(/Query Cost limit of 5000 exceeded/);
  });

  it('refuses a page past the cap, naming it', async () => {
    const answer = await query('{ scanIssues(limit: 1000000) { totalCount } }');
    expect(messages(answer)).toMatch(/limit must be from 1 to 500/);
  });

  it('stops an aggregate that runs past CLICKHOUSE_QUERY_TIMEOUT_SECONDS, with an error naming it', async () => {
    const from = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
    const to = new Date().toISOString().slice(0, 10);
    const started = Date.now();
    const answer = await query(
      `{ userActivity(from: "${from}", to: "${to}") { dailyActiveUsers { day users } } }`,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(messages(answer)).toMatch(/CLICKHOUSE_(QUERY_TIMEOUT_SECONDS|MAX_MEMORY_BYTES)/);
    expect(answer.body.errors[0].extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503 });
  });

  it(`answered /health within ${HEALTH_BUDGET_MS} ms throughout`, () => {
    expect(probeError).toBeUndefined();
    expect(probes.length).toBeGreaterThan(20);
    const sorted = [...probes].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length * 0.99)]).toBeLessThan(HEALTH_BUDGET_MS);
  });
});
