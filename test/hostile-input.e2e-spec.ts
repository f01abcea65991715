import { type TestApp, startTestApp } from './helpers/embedded-app';
import { graphql, request } from './helpers/http';

/** `{"a":{"a":...1...}}` nested `levels` deep, built as text (serialising it would overflow). */
const nestedJson = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

/**
 * Issue 8's reproducers on the embedded app: hostile bodies get a clear 4xx of their own and never
 * a 500, and never fail the requests stored with them.
 */
describe('hostile input (embedded)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(undefined, { RATE_LIMIT_MAX: '0' });
  });

  afterAll(async () => {
    await app?.stop();
  });

  /** Connection names are unique: each connection gets its own. */
  let connectionsMade = 0;

  async function newConnection(): Promise<string> {
    const created = await request(`${app.url}/plugins/developer_telemetry/connections`, {
      body: { name: `hostile ${++connectionsMade}` },
    });
    expect(created.status).toBe(200);
    return `${app.url}/plugins/developer_telemetry/connections/${created.body.id}`;
  }

  it('answers a DevLake report with an unknown field nested 4,200 levels 400, storing the reports sent with it', async () => {
    const connection = await newConnection();
    const report = (developer: string) => ({ date: '2026-02-11', developer, metrics: { active_hours: 1 } });
    const deep = `{"date":"2026-02-11","developer":"deep","metrics":{},"extra":${nestedJson(4_200)}}`;
    const [hostile, ...neighbours] = await Promise.all([
      request(`${connection}/report`, { raw: deep, headers: { 'content-type': 'application/json' } }),
      ...['ada', 'grace', 'linus'].map((d) => request(`${connection}/report`, { body: report(d) })),
    ]);
    expect(hostile.status).toBe(400);
    expect(hostile.body).toMatchObject({
      error: 'bad_request',
      message: 'request body nests deeper than 32 levels',
    });
    expect(neighbours.map((r) => r.status)).toEqual([200, 200, 200]);
    const id = Number(connection.split('/').pop());
    const stored = await graphql(app.url, `{ developerMetrics(connectionId: ${id}) { totalCount } }`);
    expect(stored.data.developerMetrics.totalCount).toBe(3);
  });

  it('answers m nested 2,550 levels on /t 400, not 500', async () => {
    const body = `{"schema":"jwc.v1","anon":"a","evt":"deep","t":1767225600000,"m":${nestedJson(2_550)}}`;
    const response = await request(`${app.url}/t`, {
      raw: body,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(response.body.message).toBe('request body nests deeper than 32 levels');
  });

  it('rejects only the event whose m nests past 8 levels, and stores its neighbours', async () => {
    const t = Date.UTC(2025, 4, 17, 12);
    const deepM = JSON.parse(nestedJson(9)) as object;
    const response = await request(`${app.url}/t`, {
      body: {
        schema: 'jwc.v1',
        batch: [
          { anon: 'u1', evt: 'hostile.ok', t },
          { anon: 'u2', evt: 'hostile.deep', t, m: deepM },
          { anon: 'u3', evt: 'hostile.ok', t: t + 1 },
        ],
      },
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      ok: true,
      accepted: 2,
      skipped: 1,
      rejected: [{ index: 1, status: 400, errors: [{ field: 'm', message: 'must nest at most 8 levels' }] }],
    });
    const stats = await graphql(
      app.url,
      '{ appStats(from: "2025-05-17", to: "2025-05-17") { total byEvent { key events } } }',
    );
    expect(stats.data.appStats).toEqual({ total: 2, byEvent: [{ key: 'hostile.ok', events: 2 }] });
  });

  it('answers stats over years 1 to 9999 (and three aliases from 1500) while /health keeps answering', async () => {
    const t = Date.UTC(2024, 1, 29, 12);
    expect(
      (await request(`${app.url}/t`, { body: { schema: 'jwc.v1', anon: 'r', evt: 'hostile.range', t } }))
        .status,
    ).toBe(200);
    const [all, filtered, aliases, health] = await Promise.all([
      request(`${app.url}/stats?from=0001-01-01&to=9999-12-31`),
      request(`${app.url}/stats?from=0001-01-01&to=9999-12-31&evt=hostile.range`),
      graphql(
        app.url,
        '{ a: appStats(from: "1500-01-01") { total } b: appStats(from: "1500-01-01") { total } c: appStats(from: "1500-01-01") { total } }',
      ),
      request(`${app.url}/health`),
    ]);
    expect(health.status).toBe(200);
    expect(all.status).toBe(200);
    expect(all.body.total).toBeGreaterThanOrEqual(1);
    expect(filtered.body).toMatchObject({ total: 1, daily: [{ key: '2024-02-29', events: 1, users: 1 }] });
    // No `to`: from 1500 (clamped to 2000) up to today, so every event stored so far.
    expect(aliases.data.a.total).toBeGreaterThanOrEqual(1);
    expect(aliases.data).toEqual({ a: aliases.data.a, b: aliases.data.a, c: aliases.data.a });
  });

  it.each([
    ['text/plain', '{"schema":"jwc.v1","anon":"a","evt":"e","t":1767225600000}'],
    ['application/x-www-form-urlencoded', 'schema=jwc.v1&anon=a&evt=e&t=1767225600000'],
  ])('answers a %s body 415 on every ingest route', async (contentType, raw) => {
    const connection = await newConnection();
    for (const url of [`${app.url}/t`, `${connection}/report`]) {
      const response = await request(url, { raw, headers: { 'content-type': contentType } });
      expect(response.status).toBe(415);
      expect(response.body).toMatchObject({ success: false, error: 'unsupported_media_type' });
    }
  });

  it('stores a valid /t batch spanning 150 months, and the 40 requests sent with it', async () => {
    const batch = Array.from({ length: 150 }, (_, i) => ({
      anon: `p${i}`,
      evt: 'hostile.months',
      t: Date.UTC(2002 + Math.floor(i / 12), i % 12, 15),
    }));
    const neighbour = (i: number) => ({
      schema: 'jwc.v1',
      anon: `n${i}`,
      evt: 'hostile.months.neighbour',
      t: Date.UTC(2025, 6, 1, 12, 0, i),
    });
    const [wide, ...neighbours] = await Promise.all([
      request(`${app.url}/t`, { body: { schema: 'jwc.v1', batch } }),
      ...Array.from({ length: 40 }, (_, i) => request(`${app.url}/t`, { body: neighbour(i) })),
    ]);
    expect(wide.status).toBe(200);
    expect(wide.body).toMatchObject({ accepted: 150, skipped: 0 });
    expect(neighbours.map((r) => r.status)).toEqual(Array(40).fill(200));
    const stored = await graphql(
      app.url,
      `
        {
          wide: appStats(from: "2002-01-01", to: "2014-12-31", evt: "hostile.months") {
            total
          }
          near: appStats(from: "2025-07-01", to: "2025-07-01", evt: "hostile.months.neighbour") {
            total
          }
        }
      `,
    );
    expect(stored.data).toEqual({ wide: { total: 150 }, near: { total: 40 } });
  });

  it('refuses a /t time on a day that does not exist instead of rolling it over', async () => {
    const response = await request(`${app.url}/t`, {
      body: {
        schema: 'jwc.v1',
        batch: [
          { anon: 'c1', evt: 'hostile.calendar', t: '2026-02-30' },
          { anon: 'c2', evt: 'hostile.calendar', t: '2026-02-28' },
        ],
      },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      accepted: 1,
      rejected: [
        {
          index: 0,
          status: 400,
          errors: [
            {
              field: 't',
              message: 'must be Unix milliseconds, Unix seconds or an ISO-8601 date-time that exists',
            },
          ],
        },
      ],
    });
    const march = await request(`${app.url}/stats?from=2026-03-02&to=2026-03-02&evt=hostile.calendar`);
    expect(march.body.total).toBe(0);
  });

  it('refuses /stats from a day that does not exist', async () => {
    const response = await request(`${app.url}/stats?from=2026-02-30`);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      error: 'validation_failed',
      errors: [{ field: 'from', message: 'is not a real date (YYYY-MM-DD) or date-time' }],
    });
  });

  it.each(['1900-01-01', '9999-12-31', '2026-02-30'])(
    'refuses a DevLake report dated %s rather than storing it on another day',
    async (date) => {
      const connection = await newConnection();
      const response = await request(`${connection}/report`, {
        body: { date, developer: 'ada', metrics: { active_hours: 1 } },
      });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ errors: [{ field: 'date' }] });
    },
  );

  it('refuses a DevLake report dated more than a day ahead', async () => {
    const connection = await newConnection();
    const inThreeDays = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const response = await request(`${connection}/report`, {
      body: { date: inThreeDays, developer: 'ada', metrics: {} },
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      errors: [
        { field: 'date', message: expect.stringContaining('is more than a day in the future: today is') },
      ],
    });
  });

  it('refuses text with a lone surrogate per field (400), and stores the requests sent with it', async () => {
    const connection = await newConnection();
    const json = { 'content-type': 'application/json' };
    const [devlake, jwc, ...neighbours] = await Promise.all([
      request(`${connection}/report`, {
        raw: '{"date":"2026-11-20","developer":"x\\ud800","metrics":{}}',
        headers: json,
      }),
      request(`${app.url}/t`, {
        raw: '{"schema":"jwc.v1","batch":[{"anon":"s1","evt":"lone\\udc00","t":1767225600000},{"anon":"s2","evt":"surrogate.ok","t":1767225600000}]}',
        headers: json,
      }),
      ...['ada', 'grace'].map((developer) =>
        request(`${connection}/report`, { body: { date: '2026-11-20', developer, metrics: {} } }),
      ),
    ]);
    const message = 'must be valid Unicode text (it holds an unpaired surrogate such as \\ud800)';
    expect(devlake.status).toBe(400);
    expect(devlake.body).toMatchObject({ errors: [{ field: 'developer', message }] });
    expect(jwc.status).toBe(200);
    expect(jwc.body).toMatchObject({
      accepted: 1,
      rejected: [{ index: 0, status: 400, errors: [{ field: 'evt', message }] }],
    });
    expect(neighbours.map((r) => r.status)).toEqual([200, 200]);
  });

  describe('first write wins for client event ids', () => {
    const idTaken = {
      field: 'id',
      message: 'is already used by a different event; the first one stored is kept',
    };
    const storedEvents = async (day: string, evtPrefix: string) => {
      const result = await graphql(
        app.url,
        `{ appEvents(from: "${day}", to: "${day}") { items { eventId evt } } }`,
      );
      return (result.data.appEvents.items as { eventId: string; evt: string }[]).filter((e) =>
        e.evt.startsWith(evtPrefix),
      );
    };

    it('refuses another payload under a stored id (409) and keeps the first', async () => {
      const t = Date.UTC(2025, 8, 1, 9);
      const real = { schema: 'jwc.v1', id: 'order-1', anon: 'buyer', evt: 'purchase.real', t };
      expect((await request(`${app.url}/t`, { body: real })).status).toBe(200);
      const fake = await request(`${app.url}/t`, {
        body: { ...real, anon: 'attacker', evt: 'purchase.fake' },
      });
      expect(fake.status).toBe(409);
      expect(fake.body).toMatchObject({
        error: 'event_id_conflict',
        accepted: 0,
        rejected: [{ index: 0, status: 409, errors: [idTaken] }],
      });
      expect(await storedEvents('2025-09-01', 'purchase.')).toEqual([
        { eventId: 'c:order-1', evt: 'purchase.real' },
      ]);
    });

    it('refuses a stored id sent again on another day (409), so the id still names one event', async () => {
      const first = {
        schema: 'jwc.v1',
        id: 'day-1',
        anon: 'd',
        evt: 'day.first',
        t: Date.UTC(2025, 8, 10, 9),
      };
      expect((await request(`${app.url}/t`, { body: first })).status).toBe(200);
      const moved = await request(`${app.url}/t`, { body: { ...first, t: Date.UTC(2025, 8, 8, 9) } });
      expect(moved.status).toBe(409);
      expect(await storedEvents('2025-09-08', 'day.')).toEqual([]);
    });

    it('acknowledges an unchanged resend of a stored id and stores it once', async () => {
      const event = {
        schema: 'jwc.v1',
        id: 'resent-1',
        anon: 'r',
        evt: 'resend.same',
        t: Date.UTC(2025, 8, 2),
      };
      for (let i = 0; i < 3; i++) {
        const response = await request(`${app.url}/t`, { body: event });
        expect(response.body).toEqual({ ok: true, accepted: 1, skipped: 0, rejected: [] });
      }
      expect(await storedEvents('2025-09-02', 'resend.')).toHaveLength(1);
    });

    it('refuses only the conflicting event of a batch, and one of two ids in the same batch', async () => {
      const t = Date.UTC(2025, 8, 3, 9);
      await request(`${app.url}/t`, {
        body: { schema: 'jwc.v1', id: 'b-1', anon: 'a', evt: 'batch.first', t },
      });
      const response = await request(`${app.url}/t`, {
        body: {
          schema: 'jwc.v1',
          batch: [
            { id: 'b-1', anon: 'a', evt: 'batch.other', t },
            { id: 'b-2', anon: 'a', evt: 'batch.new', t },
            { id: 'b-2', anon: 'a', evt: 'batch.twin', t },
          ],
        },
      });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        ok: true,
        accepted: 1,
        skipped: 2,
        rejected: [
          { index: 0, status: 409, errors: [idTaken] },
          { index: 2, status: 409, errors: [idTaken] },
        ],
      });
      const stored = await storedEvents('2025-09-03', 'batch.');
      expect(stored.map((e) => e.evt).sort()).toEqual(['batch.first', 'batch.new']);
    });

    it('lets exactly one of two concurrent payloads under one id win, and stores that one', async () => {
      const t = Date.UTC(2025, 8, 4, 9);
      const answers = await Promise.all(
        ['race.a', 'race.b'].map((evt) =>
          request(`${app.url}/t`, { body: { schema: 'jwc.v1', id: 'race-1', anon: 'r', evt, t } }),
        ),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      const winner = answers[0].status === 200 ? 'race.a' : 'race.b';
      expect(await storedEvents('2025-09-04', 'race.')).toEqual([{ eventId: 'c:race-1', evt: winner }]);
    });
  });
});

describe('error responses (embedded, NODE_ENV=development)', () => {
  let app: TestApp;
  const nodeEnv = process.env.NODE_ENV;

  beforeAll(async () => {
    // Libraries show more in development (Apollo adds stack traces): the most revealing setting.
    process.env.NODE_ENV = 'development';
    app = await startTestApp(undefined, { RATE_LIMIT_MAX: '0' });
  });

  afterAll(async () => {
    await app?.stop();
    process.env.NODE_ENV = nodeEnv;
  });

  it('never carry a stack trace, a file path or an internal error text', async () => {
    const json = { 'content-type': 'application/json' };
    const responses = await Promise.all([
      request(`${app.url}/t`, { raw: '{"schema":', headers: json }),
      request(`${app.url}/t`, { raw: '[1,2', headers: json }),
      request(`${app.url}/t`, { raw: 'x', headers: { ...json, 'content-encoding': 'gzip' } }),
      request(`${app.url}/t`, { body: { schema: 'jwc.v1', batch: 'nope' } }),
      request(`${app.url}/plugins/developer_telemetry/connections/999999/report`, { body: {} }),
      request(`${app.url}/plugins/developer_telemetry/connections/abc`, { method: 'GET' }),
      request(`${app.url}/stats?from=0000-00-00`),
      request(`${app.url}/no/such/route`),
      request(`${app.url}/graphql`, { body: { query: '{ appStats(from: ' } }),
      request(`${app.url}/graphql`, { body: { query: '{ noSuchField }' } }),
      request(`${app.url}/graphql`, {
        body: { query: 'query($n: Int!) { appStats { total } }', variables: { n: 'x' } },
      }),
      request(`${app.url}/graphql`, { body: { query: '{ appStats(from: "2026-02-30") { total } }' } }),
      request(`${app.url}/graphql`, { raw: '{"query":', headers: json }),
    ]);
    for (const response of responses) {
      const text = JSON.stringify(response.body);
      expect(response.status).toBeLessThan(500);
      expect(text).not.toMatch(/stacktrace|\s+at\s+\S+\s+\(|node_modules|DB::Exception/);
      expect(text).not.toContain(process.cwd());
    }
  });
});
