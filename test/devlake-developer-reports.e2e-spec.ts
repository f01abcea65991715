import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type TestApp, makeDataDir, removeDataDir, startTestApp } from './helpers/embedded-app';
import { graphql, request } from './helpers/http';

const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures/devlake-report.json'), 'utf8'));

/**
 * The DevLake developer_telemetry plugin's manual test, walked as a collector would against the
 * embedded app: create a connection with a token, post a report, resend it changed, read it over
 * GraphQL, restart, and try each bad input. Every test creates its own connection (ids are
 * assigned by the server) and posts its own reports, so each passes alone and in any order.
 */
describe('DevLake developer_telemetry API (embedded)', () => {
  const dataDir = makeDataDir();
  let app: TestApp;
  /** The connections resource of the running app (the port changes across the restart test). */
  const connections = () => `${app.url}/plugins/developer_telemetry/connections`;

  beforeAll(async () => {
    app = await startTestApp(dataDir);
  });

  afterAll(async () => {
    await app?.stop();
    removeDataDir(dataDir);
  });

  /** Connection names are unique (as in DevLake): each test's connections get their own. */
  let connectionsMade = 0;

  /**
   * A new connection created through the REST API: its server-assigned id, its URL (`base`, the
   * report endpoint is `${base}/report`) and the Authorization header for its token (none without).
   */
  async function newConnection(
    token?: string,
    name = `Platform team ${++connectionsMade}`,
  ): Promise<{ id: number; base: string; auth: Record<string, string> }> {
    const created = await request(connections(), {
      body: token === undefined ? { name } : { name, secretToken: token },
    });
    expect(created.status).toBe(200);
    const id: number = created.body.id;
    expect(Number.isInteger(id) && id > 0).toBe(true);
    return {
      id,
      base: `${connections()}/${id}`,
      auth: token === undefined ? {} : { authorization: `Bearer ${token}` },
    };
  }

  /** An id the server handed out and then deleted: ids are never reused, so it stays unknown. */
  async function unknownConnectionId(): Promise<number> {
    const gone = await newConnection(undefined, 'deleted at once');
    expect((await request(gone.base, { method: 'DELETE' })).status).toBe(200);
    return gone.id;
  }

  const metricsQuery = `query($c: Int, $d: String) { developerMetrics(connectionId: $c, developer: $d) {
      totalCount items { connectionId developerId date email activeHours toolsUsed projectContext
      commandCounts { name count } } } }`;

  it('creates a connection with a token and never returns the token', async () => {
    const created = await request(connections(), {
      body: { name: 'Platform team', endpoint: 'http://localhost:8080', secretToken: 'tok-123' },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      id: expect.any(Number),
      name: 'Platform team',
      hasSecretToken: true,
      rateLimitPerHour: 1000,
    });
    const id: number = created.body.id;
    expect(JSON.stringify(created.body)).not.toContain('tok-123');

    const listed = await request(connections());
    expect(listed.status).toBe(200);
    expect(listed.body).toContainEqual(
      expect.objectContaining({ id, name: 'Platform team', hasSecretToken: true }),
    );
    expect(JSON.stringify(listed.body)).not.toContain('tok-123');
    expect((await request(`${connections()}/${id}`)).body).toMatchObject({ id, name: 'Platform team' });
  });

  it('accepts the sample report with the DevLake success body', async () => {
    const { base, auth } = await newConnection('tok-123');
    const response = await request(`${base}/report`, { body: fixture, headers: auth });
    expect(response.status).toBe(200);
    // DevLake's success body (shared.ApiBody), field for field.
    expect(response.body).toEqual({
      code: 0,
      success: true,
      message: 'telemetry data received successfully',
      causes: null,
      data: null,
    });
  });

  it('keeps one row per developer and day, with the latest values, after a changed resend', async () => {
    const { id, base, auth } = await newConnection('tok-123');
    expect((await request(`${base}/report`, { body: fixture, headers: auth })).status).toBe(200);
    const changed = { ...fixture, metrics: { ...fixture.metrics, active_hours: 5, tools_used: ['go'] } };
    expect((await request(`${base}/report`, { body: changed, headers: auth })).status).toBe(200);
    expect((await request(`${base}/report`, { body: changed, headers: auth })).status).toBe(200);

    const result = await graphql(app.url, metricsQuery, { c: id, d: 'irfan.ahmad' });
    expect(result.data.developerMetrics.totalCount).toBe(1);
    expect(result.data.developerMetrics.items).toEqual([
      {
        connectionId: id,
        developerId: 'irfan.ahmad',
        date: '2026-02-11',
        email: 'irfan@company.com',
        activeHours: 5,
        toolsUsed: ['go'],
        projectContext: ['incubator-devlake', 'developer-telemetry'],
        commandCounts: [
          { name: 'git', count: 45 },
          { name: 'docker', count: 12 },
          { name: 'make', count: 8 },
        ],
      },
    ]);
  });

  it('accepts a gzip-encoded report', async () => {
    const { id, base, auth } = await newConnection('tok-123');
    const nextDay = { ...fixture, date: '2026-02-12', metrics: { ...fixture.metrics, active_hours: 7 } };
    const response = await request(`${base}/report`, {
      method: 'POST',
      raw: gzipSync(JSON.stringify(nextDay)),
      headers: { ...auth, 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect(response.status).toBe(200);
    const result = await graphql(app.url, metricsQuery, { c: id, d: 'irfan.ahmad' });
    expect(result.data.developerMetrics).toMatchObject({
      totalCount: 1,
      items: [{ connectionId: id, date: '2026-02-12', activeHours: 7 }],
    });
  });

  it('summarises a developer exactly: days, hours, top tools and commands', async () => {
    const { id, base, auth } = await newConnection('tok-123');
    const reports = [
      { ...fixture, metrics: { ...fixture.metrics, active_hours: 5, tools_used: ['go'] } },
      { ...fixture, date: '2026-02-12', metrics: { ...fixture.metrics, active_hours: 7 } },
    ];
    for (const body of reports) {
      expect((await request(`${base}/report`, { body, headers: auth })).status).toBe(200);
    }
    const result = await graphql(
      app.url,
      `
        query ($c: Int) {
          developerSummaries(connectionId: $c, top: 2) {
            totalCount
            items {
              developerId
              daysReported
              totalActiveHours
              averageActiveHours
              topTools {
                name
                count
              }
              topCommands {
                name
                count
              }
              topProjects {
                name
                count
              }
            }
          }
        }
      `,
      { c: id },
    );
    expect(result.data.developerSummaries.totalCount).toBe(1);
    expect(result.data.developerSummaries.items).toEqual([
      {
        developerId: 'irfan.ahmad',
        daysReported: 2,
        totalActiveHours: 12,
        averageActiveHours: 6,
        topTools: [
          { name: 'go', count: 2 },
          { name: 'docker', count: 1 },
        ],
        topCommands: [
          { name: 'git', count: 90 },
          { name: 'docker', count: 24 },
        ],
        topProjects: [
          { name: 'developer-telemetry', count: 2 },
          { name: 'incubator-devlake', count: 2 },
        ],
      },
    ]);
  });

  it('filters by date range and pages', async () => {
    const { id, base, auth } = await newConnection('tok-123');
    for (const date of ['2026-02-11', '2026-02-12']) {
      expect((await request(`${base}/report`, { body: { ...fixture, date }, headers: auth })).status).toBe(
        200,
      );
    }
    const result = await graphql(
      app.url,
      `
        query ($c: Int) {
          a: developerMetrics(connectionId: $c, from: "2026-02-12", to: "2026-02-12") {
            totalCount
            items {
              date
            }
          }
          b: developerMetrics(connectionId: $c, limit: 1, offset: 0) {
            totalCount
            hasMore
            items {
              date
            }
          }
          c: developerMetrics(connectionId: $c, limit: 1, offset: 1) {
            hasMore
            items {
              date
            }
          }
        }
      `,
      { c: id },
    );
    expect(result.data.a).toEqual({ totalCount: 1, items: [{ date: '2026-02-12' }] });
    expect(result.data.b).toEqual({ totalCount: 2, hasMore: true, items: [{ date: '2026-02-12' }] });
    expect(result.data.c).toEqual({ hasMore: false, items: [{ date: '2026-02-11' }] });
  });

  describe('bad input', () => {
    it('401 without a token, and with a wrong one', async () => {
      const { base } = await newConnection('tok-123');
      const missing = await request(`${base}/report`, { body: fixture });
      expect(missing.status).toBe(401);
      expect(missing.body).toMatchObject({ success: false, error: 'unauthorized' });
      const wrong = await request(`${base}/report`, {
        body: fixture,
        headers: { authorization: 'Bearer nope' },
      });
      expect(wrong.status).toBe(401);
    });

    it('404 for an unknown connection, 400 for a non-numeric id', async () => {
      const unknown = await unknownConnectionId();
      const report = await request(`${connections()}/${unknown}/report`, { body: fixture });
      expect(report.status).toBe(404);
      expect(report.body.message).toBe(`connection ${unknown} not found`);
      expect((await request(`${connections()}/${unknown}`)).status).toBe(404);
      const notNumeric = await request(`${connections()}/abc`);
      expect(notNumeric.status).toBe(400);
      expect(notNumeric.body.message).toContain('connectionId must be a positive integer');
    });

    it('400 naming every bad field', async () => {
      const { base, auth } = await newConnection('tok-123');
      const response = await request(`${base}/report`, {
        headers: auth,
        body: {
          date: '2026-02-30',
          developer: '',
          email: 42,
          metrics: {
            active_hours: -1,
            tools_used: 'go',
            projects: [1],
            commands: { git: -1, make: 'often' },
          },
        },
      });
      expect(response.status).toBe(400);
      const fields = response.body.errors.map((e: { field: string }) => e.field).sort();
      expect(fields).toEqual(
        [
          'date',
          'developer',
          'email',
          'metrics.active_hours',
          'metrics.commands.git',
          'metrics.commands.make',
          'metrics.projects.0',
          'metrics.tools_used',
        ].sort(),
      );
      expect(response.body.message).toContain('date must be a real calendar date');
      // DevLake's error fields beside the hub's: each invalid field is one of its causes.
      expect(response.body).toMatchObject({ code: 0, success: false, data: null });
      expect(response.body.causes).toHaveLength(fields.length);
      expect(response.body.causes).toContain('metrics.active_hours must be a non-negative number of hours');
    });

    it('400 when developer is missing, and for an over-long developer', async () => {
      const { base, auth } = await newConnection('tok-123');
      const missing = await request(`${base}/report`, { headers: auth, body: { date: '2026-02-11' } });
      expect(missing.status).toBe(400);
      expect(missing.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['developer']);
      const long = await request(`${base}/report`, {
        headers: auth,
        body: { ...fixture, developer: 'x'.repeat(256) },
      });
      expect(long.status).toBe(400);
      expect(long.body.errors[0].field).toBe('developer');
    });

    it('rejects a body that is not JSON with a clear message', async () => {
      const { base, auth } = await newConnection('tok-123');
      const broken = await request(`${base}/report`, {
        method: 'POST',
        raw: '{"date":',
        headers: { ...auth, 'content-type': 'application/json' },
      });
      expect(broken.status).toBe(400);
      expect(broken.body.message).toMatch(/JSON/);
      const xml = await request(`${base}/report`, {
        method: 'POST',
        raw: '<report/>',
        headers: { ...auth, 'content-type': 'application/xml' },
      });
      expect(xml.status).toBe(415);
    });

    it('413 for a body over the limit, even when gzip hides its size', async () => {
      const { base, auth } = await newConnection('tok-123');
      const huge = {
        ...fixture,
        metrics: { ...fixture.metrics, projects: ['p'.repeat(200)] },
        padding: 'x'.repeat(1_100_000),
      };
      const plain = await request(`${base}/report`, { headers: auth, body: huge });
      expect(plain.status).toBe(413);
      const gzipped = await request(`${base}/report`, {
        method: 'POST',
        raw: gzipSync(JSON.stringify(huge)),
        headers: { ...auth, 'content-type': 'application/json', 'content-encoding': 'gzip' },
      });
      expect(gzipped.status).toBe(413);
    });
  });

  it('manages the token: PATCH secretToken null removes it; DELETE makes reports 404', async () => {
    const { base } = await newConnection('tok-123');
    expect((await request(`${base}/report`, { body: fixture })).status).toBe(401);
    const patched = await request(base, { method: 'PATCH', body: { secretToken: null } });
    expect(patched.body.hasSecretToken).toBe(false);
    expect((await request(`${base}/report`, { body: { ...fixture, date: '2026-02-13' } })).status).toBe(200);

    const second = await newConnection(undefined, 'Temporary');
    expect((await request(second.base, { method: 'DELETE' })).body).toEqual({
      code: 0,
      success: true,
      message: 'connection deleted',
      causes: null,
      data: null,
    });
    expect((await request(`${second.base}/report`, { body: fixture })).status).toBe(404);
    expect((await request(second.base, { method: 'DELETE' })).status).toBe(404);
    // Ids are never reused: the next connection gets a higher one than the deleted one.
    const third = await newConnection(undefined, 'Next');
    expect(third.id).toBeGreaterThan(second.id);
  });

  it('manages connections over GraphQL through the same service', async () => {
    const created = await graphql(
      app.url,
      `
        mutation {
          createConnection(input: { name: "gql", secretToken: "t" }) {
            id
            hasSecretToken
          }
        }
      `,
    );
    expect(created.data.createConnection).toEqual({ id: expect.any(Number), hasSecretToken: true });
    const id: number = created.data.createConnection.id;
    expect((await request(`${connections()}/${id}`)).body).toMatchObject({ id, name: 'gql' });
    const invalid = await graphql(
      app.url,
      `
        mutation {
          createConnection(input: { name: "" }) {
            id
          }
        }
      `,
    );
    expect(invalid.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', status: 400 });
    expect(invalid.errors[0].extensions.errors[0].field).toBe('name');
    const unknown = await unknownConnectionId();
    const missing = await graphql(
      app.url,
      `
        query ($id: Int!) {
          connection(id: $id) {
            id
          }
        }
      `,
      { id: unknown },
    );
    expect(missing.errors[0]).toMatchObject({
      message: `connection ${unknown} not found`,
      extensions: { code: 'NOT_FOUND' },
    });
    const deleted = await graphql(
      app.url,
      `
        mutation ($id: Int!) {
          deleteConnection(id: $id)
        }
      `,
      { id },
    );
    expect(deleted.data.deleteConnection).toBe(true);
    expect(
      (
        await request(`${connections()}/${id}/report`, {
          body: fixture,
          headers: { authorization: 'Bearer t' },
        })
      ).status,
    ).toBe(404);
  });

  it('keeps every accepted report across a restart', async () => {
    const { id, base, auth } = await newConnection('tok-123');
    const reports = [
      { ...fixture, metrics: { ...fixture.metrics, active_hours: 5 } },
      { ...fixture, date: '2026-02-12', metrics: { ...fixture.metrics, active_hours: 7 } },
    ];
    for (const body of reports) {
      expect((await request(`${base}/report`, { body, headers: auth })).status).toBe(200);
    }
    expect((await request(base, { method: 'PATCH', body: { secretToken: null } })).status).toBe(200);
    expect((await request(`${base}/report`, { body: { ...fixture, date: '2026-02-13' } })).status).toBe(200);

    await app.stop();
    app = await startTestApp(dataDir);
    const result = await graphql(
      app.url,
      `
        query ($c: Int) {
          developerMetrics(connectionId: $c) {
            totalCount
            items {
              date
              activeHours
            }
          }
        }
      `,
      { c: id },
    );
    expect(result.data.developerMetrics).toEqual({
      totalCount: 3,
      items: [
        { date: '2026-02-13', activeHours: 9 },
        { date: '2026-02-12', activeHours: 7 },
        { date: '2026-02-11', activeHours: 5 },
      ],
    });
    expect((await request(`${connections()}/${id}`)).body).toMatchObject({ id, hasSecretToken: false });
  });

  it('serves health, readiness and Prometheus metrics', async () => {
    expect((await request(`${app.url}/health`)).body).toMatchObject({ ok: true });
    expect((await request(`${app.url}/ready`)).body).toMatchObject({
      ready: true,
      checks: { clickhouse: { ok: true } },
    });

    // The latency histogram counts this test's own reports under the route pattern, never the URL.
    const reportsAccepted = async () => {
      const metrics = await fetch(`${app.url}/metrics`).then((r) => r.text());
      const match =
        /^http_request_duration_seconds_count\{method="POST",route="\/plugins\/developer_telemetry\/connections\/:connectionId\/report",status="200"\} (\d+)$/m.exec(
          metrics,
        );
      return { metrics, count: match ? Number(match[1]) : 0 };
    };
    const before = await reportsAccepted();
    const { id, base, auth } = await newConnection('tok-123');
    for (const date of ['2026-02-11', '2026-02-12', '2026-02-13']) {
      expect((await request(`${base}/report`, { body: { ...fixture, date }, headers: auth })).status).toBe(
        200,
      );
    }
    const after = await reportsAccepted();
    expect(after.count - before.count).toBe(3);
    expect(after.metrics).not.toContain(`/connections/${id}/report`);
    expect(after.metrics).toMatch(/^process_resident_memory_bytes [1-9]\d*$/m);
  });
});
