import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ClickHouseClient } from '@clickhouse/client';
import { CLICKHOUSE } from '@th/store';
import { type TestApp, makeDataDir, removeDataDir, startTestApp } from './helpers/embedded-app';
import { graphql, request } from './helpers/http';
import { BERLIN_NETWORK, writeMmdb } from './helpers/mmdb-writer';

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8'));

const YEARLY_SALT = 'a-test-salt-that-is-long-enough';

/** What the app stores instead of `anon`: HMAC-SHA-256 keyed with YEARLY_SALT:<year of the event>, hex. */
const anonHashOf = (anon: string, millis: number) =>
  createHmac('sha256', `${YEARLY_SALT}:${new Date(millis).getUTCFullYear()}`)
    .update(anon)
    .digest('hex');

/**
 * jwc.v1 app usage events on the embedded app: the samples, bounds, privacy, geo, limits, exact stats.
 * Every test posts the events it reads, on days (or with markers) no other test uses, so each passes
 * alone and in any order.
 */
describe('app usage events (jwc.v1) at POST /t', () => {
  const dataDir = makeDataDir();
  const logDir = join(dataDir, 'events-log');
  let app: TestApp;
  let ipCounter = 0;
  /** Each test speaks from its own client IP (through the trusted loopback proxy). */
  const nextIp = () => `192.0.2.${++ipCounter}`;
  const post = (body: unknown, ip = nextIp(), headers: Record<string, string> = {}) =>
    request(`${app.url}/t`, { body, headers: { 'x-forwarded-for': ip, ...headers } });

  beforeAll(async () => {
    const geoDb = join(dataDir, 'city.mmdb');
    writeFileSync(geoDb, writeMmdb([BERLIN_NETWORK]));
    app = await startTestApp(dataDir, {
      GEO_DB: geoDb,
      TRUSTED_PROXIES: '127.0.0.1,::1',
      RATE_LIMIT_MAX: '20',
      JWC_MAX_BATCH: '50',
      LOG_DIR: logDir,
      STATS_SECRET: 'debug-secret',
      YEARLY_SALT,
    });
  });

  afterAll(async () => {
    await app?.stop();
    removeDataDir(dataDir);
  });

  const statsQuery = `query($from: String, $to: String, $evt: String, $os: String, $version: String) {
    appStats(from: $from, to: $to, evt: $evt, os: $os, version: $version) {
      total uniques byEvent { key events } byOs { key events } byExt { key events }
      daily { key events users } hourly { key events users }
      performance { evt count mean p50 p95 p99 } geo { byCountry { key events } byCity { key events } } } }`;

  it('accepts the sample single event and batch unchanged', async () => {
    const single = await post(fixture('jwc-event.json'));
    expect(single.status).toBe(200);
    expect(single.body).toEqual({ ok: true, accepted: 1, skipped: 0, rejected: [] });
    const batch = await post(fixture('jwc-batch.json'));
    expect(batch.body).toEqual({ ok: true, accepted: 3, skipped: 0, rejected: [] });
  });

  it('changes no number when a batch is resent, from the moment it is acknowledged', async () => {
    // The samples are all on 2022-01-01; only they are (and sending them again stores nothing new).
    expect((await post(fixture('jwc-event.json'))).status).toBe(200);
    expect((await post(fixture('jwc-batch.json'))).status).toBe(200);
    const period = { from: '2022-01-01', to: '2022-01-01' };
    const before = await graphql(app.url, statsQuery, period);
    const restBefore = await request(`${app.url}/stats?from=2022-01-01&to=2022-01-01`);
    expect(before.data.appStats.total).toBe(4);
    for (let i = 0; i < 3; i++) expect((await post(fixture('jwc-batch.json'))).status).toBe(200);
    expect(await graphql(app.url, statsQuery, period)).toEqual(before);
    const restAfter = await request(`${app.url}/stats?from=2022-01-01&to=2022-01-01`);
    expect(restAfter.body).toEqual(restBefore.body);
    const listed = await graphql(
      app.url,
      `
        {
          appEvents(from: "2022-01-01", to: "2022-01-01") {
            totalCount
          }
        }
      `,
    );
    expect(listed.data.appEvents.totalCount).toBe(4);
  });

  it("uses the client's id, or the Idempotency-Key of a single event, as the event's identity", async () => {
    const at = Date.UTC(2023, 1, 1, 10);
    const withId = { schema: 'jwc.v1', batch: [{ id: 'evt-1', anon: 'u1', evt: 'id.test', t: at }] };
    await post(withId);
    await post(withId);
    const keyed = { schema: 'jwc.v1', anon: 'u1', evt: 'key.test', t: at };
    await post(keyed, nextIp(), { 'idempotency-key': 'k-1' });
    await post(keyed, nextIp(), { 'idempotency-key': 'k-1' });
    const result = await graphql(app.url, statsQuery, { from: '2023-02-01', to: '2023-02-01' });
    expect(result.data.appStats.byEvent).toEqual([
      { key: 'id.test', events: 1 },
      { key: 'key.test', events: 1 },
    ]);
    expect(result.data.appStats.uniques).toBe(1);
  });

  it('stores the valid events of a batch and names every rejected index and why', async () => {
    const t = Date.UTC(2023, 2, 1);
    const response = await post({
      schema: 'jwc.v1',
      batch: [
        { anon: 'u1', evt: 'ok.one', t },
        { evt: 'no.anon', t },
        { anon: 'u2', evt: 'ok.two', t: new Date(t).toISOString() },
        { anon: 'u3', evt: 'bad.time', t: 'tomorrow' },
        { anon: 'u4', evt: 'big.meta', t, m: { blob: 'x'.repeat(9000) } },
        { anon: 'u5', evt: '', t, os: 'o'.repeat(65) },
      ],
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ ok: true, accepted: 2, skipped: 4 });
    expect(response.body.rejected).toEqual([
      { index: 1, status: 400, errors: [{ field: 'anon', message: 'is required' }] },
      {
        index: 3,
        status: 400,
        errors: [
          {
            field: 't',
            message: 'must be Unix milliseconds, Unix seconds or an ISO-8601 date-time that exists',
          },
        ],
      },
      { index: 4, status: 400, errors: [{ field: 'm', message: 'must be at most 8192 bytes as JSON' }] },
      {
        index: 5,
        status: 400,
        errors: [
          { field: 'evt', message: 'must be a non-empty string of at most 128 characters' },
          { field: 'os', message: 'must be a string of at most 64 characters' },
        ],
      },
    ]);
  });

  it('answers 400 when no event is valid, still listing each one', async () => {
    const response = await post({ schema: 'jwc.v1', batch: [{ anon: 'x' }, { evt: 'y', t: 1 }] });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'no_valid_events', accepted: 0, skipped: 2 });
    expect(response.body.rejected.map((r: { index: number }) => r.index)).toEqual([0, 1]);
  });

  it('refuses another schema, a non-array batch and a batch over JWC_MAX_BATCH', async () => {
    const other = await post({ schema: 'jwc.v2', anon: 'a', evt: 'e', t: Date.now() });
    expect(other.status).toBe(400);
    expect(other.body).toMatchObject({ error: 'schema_unsupported', expected: 'jwc.v1' });
    expect(
      (await post({ schema: ' JWC.V1 ', anon: 'a', evt: 'case.insensitive', t: Date.now() })).status,
    ).toBe(200);
    expect((await post({ schema: 'jwc.v1', batch: {} })).status).toBe(400);
    const tooMany = await post({
      schema: 'jwc.v1',
      batch: Array.from({ length: 51 }, () => ({ anon: 'a', evt: 'e', t: Date.now() })),
    });
    expect(tooMany.status).toBe(413);
    expect(tooMany.body).toMatchObject({ error: 'batch_too_large', max: 50 });
  });

  it('fills the defaults, keeps anon only as a keyed hash, and never stores the IP', async () => {
    const t = Date.UTC(2023, 3, 1, 8);
    await post({ schema: 'jwc.v1', anon: 'person@example.com', evt: 'privacy.check', t }, '203.0.113.77');
    const result = await graphql(
      app.url,
      `
        {
          appEvents(from: "2023-04-01", to: "2023-04-01") {
            items {
              eventId
              ts
              evt
              anonHash
              os
              ext
              vscode
              meta
              country
              region
              city
            }
          }
        }
      `,
    );
    const [event] = result.data.appEvents.items;
    expect(event).toMatchObject({
      evt: 'privacy.check',
      os: 'unknown',
      ext: '0.0.0',
      vscode: '0.0.0',
      meta: '{}',
    });
    expect(event.anonHash).toBe(anonHashOf('person@example.com', t));
    expect(JSON.stringify(result)).not.toContain('person@example.com');
    expect(JSON.stringify(result)).not.toContain('203.0.113.77');
  });

  it('locates the client IP with GEO_DB, through the trusted proxy', async () => {
    const t = Date.UTC(2023, 4, 1, 9);
    await post({ schema: 'jwc.v1', anon: 'geo-user', evt: 'geo.check', t }, '203.0.113.5');
    await post({ schema: 'jwc.v1', anon: 'other-user', evt: 'geo.check', t: t + 1 }, '198.51.100.9');
    const result = await graphql(app.url, statsQuery, { from: '2023-05-01', to: '2023-05-01' });
    expect(result.data.appStats.geo.byCountry).toEqual([
      { key: '', events: 1 },
      { key: 'DE', events: 1 },
    ]);
    expect(result.data.appStats.geo.byCity).toContainEqual({ key: 'DE-BE-Berlin', events: 1 });
    // An event with no location is the empty key at every level, never "-" or "--".
    expect(result.data.appStats.geo.byCity).toContainEqual({ key: '', events: 1 });
  });

  it('limits each client IP to RATE_LIMIT_MAX requests per window with 429 and RateLimit headers', async () => {
    const ip = nextIp();
    const event = { schema: 'jwc.v1', anon: 'r', evt: 'rate', t: Date.now() };
    for (let i = 0; i < 20; i++) expect((await post(event, ip)).status).toBe(200);
    const limited = await post(event, ip);
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ success: false, error: 'rate_limited' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('ratelimit-limit')).toBe('20');
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect((await post(event, nextIp())).status).toBe(200);
  });

  it('computes stats that can be checked by hand, the same over REST and GraphQL', async () => {
    const day = Date.UTC(2024, 5, 10);
    const hour = 3_600_000;
    const events = [
      { anon: 'alice', evt: 'run', t: day + 9 * hour, os: 'Linux', ext: '2.0.0', m: { duration_ms: 100 } },
      {
        anon: 'alice',
        evt: 'run',
        t: day + 9 * hour + 1,
        os: 'Linux',
        ext: '2.0.0',
        m: { duration_ms: 200 },
      },
      { anon: 'bob', evt: 'run', t: day + 10 * hour, os: 'Darwin', ext: '2.0.0', m: { duration_ms: 300 } },
      {
        anon: 'bob',
        evt: 'run',
        t: day + 10 * hour + 1,
        os: 'Darwin',
        ext: '2.1.0',
        m: { duration_ms: 400 },
      },
      { anon: 'carol', evt: 'open', t: day + 86_400_000 + 11 * hour, os: 'Linux', ext: '2.1.0' },
      { anon: 'bob', evt: 'open', t: day + 86_400_000 + 9 * hour, os: 'Darwin', ext: '2.1.0' },
    ];
    expect((await post({ schema: 'jwc.v1', batch: events })).body.accepted).toBe(6);
    const rest = await request(`${app.url}/stats?from=2024-06-10&to=2024-06-11`);
    const gql = await graphql(app.url, statsQuery, { from: '2024-06-10', to: '2024-06-11' });
    const stats = gql.data.appStats;
    expect(stats.total).toBe(6);
    expect(stats.uniques).toBe(3);
    expect(stats.byEvent).toEqual([
      { key: 'run', events: 4 },
      { key: 'open', events: 2 },
    ]);
    expect(stats.byOs).toEqual([
      { key: 'Darwin', events: 3 },
      { key: 'Linux', events: 3 },
    ]);
    expect(stats.byExt).toEqual([
      { key: '2.0.0', events: 3 },
      { key: '2.1.0', events: 3 },
    ]);
    expect(stats.daily).toEqual([
      { key: '2024-06-10', events: 4, users: 2 },
      { key: '2024-06-11', events: 2, users: 2 },
    ]);
    // Hour 09 has alice twice on one day and bob on the next: 3 events, 2 distinct users.
    expect(stats.hourly).toEqual([
      { key: '09', events: 3, users: 2 },
      { key: '10', events: 2, users: 1 },
      { key: '11', events: 1, users: 1 },
    ]);
    expect(stats.performance).toEqual([{ evt: 'run', count: 4, mean: 250, p50: 200, p95: 400, p99: 400 }]);
    expect(rest.body).toMatchObject({
      total: 6,
      uniques: 3,
      performance: stats.performance,
      hourly: stats.hourly,
      windowDays: 2,
    });

    const filtered = await graphql(app.url, statsQuery, {
      from: '2024-06-10',
      to: '2024-06-11',
      os: 'Darwin',
      version: '2.1.0',
    });
    expect(filtered.data.appStats).toMatchObject({ total: 2, uniques: 1 });
    const byEvt = await request(`${app.url}/stats?from=2024-06-10&to=2024-06-11&evt=open`);
    expect(byEvt.body).toMatchObject({ total: 2 });
    const bad = await request(`${app.url}/stats?from=soon`);
    expect(bad.status).toBe(400);
  });

  it('stays exact when a closed day is read from its rollup, resent to, and added to', async () => {
    const day = Date.UTC(2025, 2, 3);
    const events = [
      { anon: 'u1', evt: 'rolled', t: day + 1000, m: { duration_ms: 10 } },
      { anon: 'u2', evt: 'rolled', t: day + 2000, m: { duration_ms: 30 } },
      { anon: 'u2', evt: 'other', t: day + 3000 },
    ];
    const period = { from: '2025-03-03', to: '2025-03-03' };
    const read = async () => (await graphql(app.url, statsQuery, period)).data.appStats;
    const store = app.app.get<ClickHouseClient>(CLICKHOUSE);
    const rollupsOfDay = async () => {
      const result = await store.query({
        query: "SELECT count() AS n FROM app_stats_days WHERE day = '2025-03-03'",
        format: 'JSONEachRow',
      });
      return Number((await result.json<{ n: string }>())[0].n);
    };
    await post({ schema: 'jwc.v1', batch: events });
    const live = await read();
    expect(live).toMatchObject({ total: 3, uniques: 2, daily: [{ key: '2025-03-03', events: 3, users: 2 }] });

    expect(await rollupsOfDay()).toBe(0); // just written to: read live

    await new Promise((resolve) => setTimeout(resolve, 5_500)); // the day is quiet: next read rolls it up
    expect(await read()).toEqual(live);
    expect(await read()).toEqual(live);
    expect(await rollupsOfDay()).toBe(1);

    await post({ schema: 'jwc.v1', batch: events }); // a resend: no number moves
    expect(await read()).toEqual(live);
    await post({
      schema: 'jwc.v1',
      batch: [{ anon: 'u3', evt: 'rolled', t: day + 4000, m: { duration_ms: 50 } }],
    });
    const added = await read();
    expect(added).toMatchObject({ total: 4, uniques: 3 });
    expect(added.performance).toEqual([{ evt: 'rolled', count: 3, mean: 30, p50: 30, p95: 50, p99: 50 }]);
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    expect(await read()).toEqual(added);
    expect(await rollupsOfDay()).toBe(2); // recomputed after the late insert
  }, 30_000);

  it('pages the event listing', async () => {
    const start = Date.UTC(2024, 7, 20, 6);
    const events = Array.from({ length: 5 }, (_, i) => ({
      anon: 'pager',
      evt: 'page.me',
      t: start + i * 60_000,
    }));
    expect((await post({ schema: 'jwc.v1', batch: events })).body.accepted).toBe(5);
    const page = async (offset: number) =>
      (
        await graphql(
          app.url,
          `{ appEvents(from: "2024-08-20", to: "2024-08-20", limit: 2, offset: ${offset}) { totalCount hasMore items { ts } } }`,
        )
      ).data.appEvents;
    const first = await page(0);
    const last = await page(4);
    expect(first).toEqual({
      totalCount: 5,
      hasMore: true,
      items: [{ ts: '2024-08-20T06:04:00.000Z' }, { ts: '2024-08-20T06:03:00.000Z' }],
    });
    expect(last).toEqual({ totalCount: 5, hasMore: false, items: [{ ts: '2024-08-20T06:00:00.000Z' }] });
  });

  it('accepts gzip bodies and answers CORS preflights for browser clients', async () => {
    const gz = await request(`${app.url}/t`, {
      method: 'POST',
      raw: gzipSync(JSON.stringify(fixture('jwc-event.json'))),
      headers: {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'x-forwarded-for': nextIp(),
      },
    });
    expect(gz.status).toBe(200);
    expect(gz.body).toEqual({ ok: true, accepted: 1, skipped: 0, rejected: [] });
    const preflight = await fetch(`${app.url}/t`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example');
  });

  it('writes accepted events to LOG_DIR as NDJSON, one file per day, once however often they are resent', async () => {
    const marker = `log.${randomUUID()}`;
    const anon = `${marker}@example.com`;
    const t = Date.UTC(2023, 6, 1, 12);
    const events = [
      { anon, evt: marker, t, m: { step: 1 } },
      { anon, evt: marker, t: t + 1 },
      { anon, evt: marker, t: t + 2, os: 'Linux' },
    ];
    const ip = nextIp();
    expect((await post({ schema: 'jwc.v1', batch: events }, ip)).body.accepted).toBe(3);
    // A resend (a client retrying after a lost answer) is acknowledged but not logged again.
    expect((await post({ schema: 'jwc.v1', batch: events }, ip)).body.accepted).toBe(3);

    // Files are named after the UTC day the events were received, not the day they happened.
    const today = `${new Date().toISOString().slice(0, 10)}.ndjson`;
    const files = readdirSync(logDir);
    expect(files).toContain(today);
    for (const file of files) expect(file).toMatch(/^\d{4}-\d{2}-\d{2}\.ndjson$/);
    const text = readFileSync(join(logDir, today), 'utf8');
    const lines = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const mine = lines.filter((line) => line.evt === marker);
    expect(mine).toHaveLength(3);
    expect(mine.map((line) => line.ts).sort()).toEqual(events.map((e) => new Date(e.t).toISOString()));
    for (const line of mine) expect(line.anonHash).toBe(anonHashOf(anon, t));
    expect(mine.find((line) => line.ts === new Date(t).toISOString()).m).toEqual({ step: 1 });
    expect(text).not.toContain(anon);
    expect(text).not.toContain(ip);
  });

  it('serves /health, /dbhealth, and debug views only with STATS_SECRET', async () => {
    // As the jwc.v1 servers answer it: `ts` in Unix milliseconds, which monitors parse as a number.
    const before = Date.now();
    const health = (await request(`${app.url}/health`)).body;
    expect(Object.keys(health).sort()).toEqual(['ok', 'ts']);
    expect(health.ok).toBe(true);
    expect(Number.isInteger(health.ts) && health.ts >= before - 1000 && health.ts <= Date.now() + 1000).toBe(
      true,
    );
    expect((await request(`${app.url}/dbhealth`)).body).toMatchObject({
      enabled: true,
      ok: true,
      db: 'chdb',
    });
    // Three events later than any other test's (up to a day ahead is accepted): the newest rows.
    const marker = `recent.${randomUUID()}`;
    const t = Date.now() + 12 * 3_600_000;
    const batch = [0, 1, 2].map((i) => ({ anon: 'recent-user', evt: marker, t: t + i }));
    expect((await post({ schema: 'jwc.v1', batch })).body.accepted).toBe(3);
    expect((await request(`${app.url}/debug/recent`)).status).toBe(401);
    expect((await request(`${app.url}/debug/recent`, { headers: { 'x-stats-key': 'wrong' } })).status).toBe(
      401,
    );
    const recent = await request(`${app.url}/debug/recent?limit=2`, {
      headers: { 'x-stats-key': 'debug-secret' },
    });
    expect(recent.status).toBe(200);
    expect(recent.body.rows).toHaveLength(2);
    expect(recent.body.rows).toEqual([
      expect.objectContaining({ evt: marker, ts: new Date(t + 2).toISOString() }),
      expect.objectContaining({ evt: marker, ts: new Date(t + 1).toISOString() }),
    ]);
  });
});
