import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type TestApp, makeDataDir, removeDataDir, startTestApp } from './helpers/embedded-app';
import { graphql, request } from './helpers/http';

const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures/devlake-report.json'), 'utf8'));

/**
 * The DevLake developer_telemetry plugin's manual test, walked as a collector would against the
 * embedded app: create a connection with a token, post a report, resend it changed, read it over
 * GraphQL, restart, and try each bad input.
 */
describe('DevLake developer_telemetry API (embedded)', () => {
  const dataDir = makeDataDir();
  let app: TestApp;
  let base: string;
  const auth = { authorization: 'Bearer tok-123' };

  beforeAll(async () => {
    app = await startTestApp(dataDir);
    base = `${app.url}/plugins/developer_telemetry/connections`;
  });

  afterAll(async () => {
    await app?.stop();
    removeDataDir(dataDir);
  });

  const metricsQuery = `query($c: Int, $d: String) { developerMetrics(connectionId: $c, developer: $d) {
      totalCount items { connectionId developerId date email activeHours toolsUsed projectContext
      commandCounts { name count } } } }`;

  it('creates a connection with a token and never returns the token', async () => {
    const created = await request(base, {
      body: { name: 'Platform team', endpoint: 'http://localhost:8080', secretToken: 'tok-123' },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      id: 1,
      name: 'Platform team',
      hasSecretToken: true,
      rateLimitPerHour: 1000,
    });
    expect(JSON.stringify(created.body)).not.toContain('tok-123');

    const listed = await request(base);
    expect(listed.body).toHaveLength(1);
    expect(JSON.stringify(listed.body)).not.toContain('tok-123');
    expect((await request(`${base}/1`)).body.name).toBe('Platform team');
  });

  it('accepts the sample report with the DevLake success body', async () => {
    const response = await request(`${base}/1/report`, { body: fixture, headers: auth });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ success: true, message: 'telemetry data received successfully' });
  });

  it('keeps one row per developer and day, with the latest values, after a changed resend', async () => {
    const changed = { ...fixture, metrics: { ...fixture.metrics, active_hours: 5, tools_used: ['go'] } };
    expect((await request(`${base}/1/report`, { body: changed, headers: auth })).status).toBe(200);
    expect((await request(`${base}/1/report`, { body: changed, headers: auth })).status).toBe(200);

    const result = await graphql(app.url, metricsQuery, { c: 1, d: 'irfan.ahmad' });
    expect(result.data.developerMetrics.totalCount).toBe(1);
    expect(result.data.developerMetrics.items).toEqual([
      {
        connectionId: 1,
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
    const nextDay = { ...fixture, date: '2026-02-12', metrics: { ...fixture.metrics, active_hours: 7 } };
    const response = await request(`${base}/1/report`, {
      method: 'POST',
      raw: gzipSync(JSON.stringify(nextDay)),
      headers: { ...auth, 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect(response.status).toBe(200);
  });

  it('summarises a developer exactly: days, hours, top tools and commands', async () => {
    const result = await graphql(
      app.url,
      `
        {
          developerSummaries(connectionId: 1, top: 2) {
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
    );
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
    const result = await graphql(
      app.url,
      `
        {
          a: developerMetrics(from: "2026-02-12", to: "2026-02-12") {
            totalCount
            items {
              date
            }
          }
          b: developerMetrics(limit: 1, offset: 0) {
            totalCount
            hasMore
            items {
              date
            }
          }
          c: developerMetrics(limit: 1, offset: 1) {
            hasMore
            items {
              date
            }
          }
        }
      `,
    );
    expect(result.data.a).toEqual({ totalCount: 1, items: [{ date: '2026-02-12' }] });
    expect(result.data.b).toEqual({ totalCount: 2, hasMore: true, items: [{ date: '2026-02-12' }] });
    expect(result.data.c).toEqual({ hasMore: false, items: [{ date: '2026-02-11' }] });
  });

  describe('bad input', () => {
    it('401 without a token, and with a wrong one', async () => {
      const missing = await request(`${base}/1/report`, { body: fixture });
      expect(missing.status).toBe(401);
      expect(missing.body).toMatchObject({ success: false, error: 'unauthorized' });
      const wrong = await request(`${base}/1/report`, {
        body: fixture,
        headers: { authorization: 'Bearer nope' },
      });
      expect(wrong.status).toBe(401);
    });

    it('404 for an unknown connection, 400 for a non-numeric id', async () => {
      const unknown = await request(`${base}/42/report`, { body: fixture });
      expect(unknown.status).toBe(404);
      expect(unknown.body.message).toBe('connection 42 not found');
      expect((await request(`${base}/42`)).status).toBe(404);
      const notNumeric = await request(`${base}/abc`);
      expect(notNumeric.status).toBe(400);
      expect(notNumeric.body.message).toContain('connectionId must be a positive integer');
    });

    it('400 naming every bad field', async () => {
      const response = await request(`${base}/1/report`, {
        headers: auth,
        body: {
          date: '2026-02-30',
          developer: '',
          email: 42,
          metrics: { active_hours: 25, tools_used: 'go', projects: [1], commands: { git: -1, make: 1.5 } },
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
    });

    it('400 when developer or metrics is missing, and for an over-long developer', async () => {
      const missing = await request(`${base}/1/report`, { headers: auth, body: { date: '2026-02-11' } });
      expect(missing.status).toBe(400);
      expect(missing.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'developer',
        'metrics',
      ]);
      const long = await request(`${base}/1/report`, {
        headers: auth,
        body: { ...fixture, developer: 'x'.repeat(256) },
      });
      expect(long.status).toBe(400);
      expect(long.body.errors[0].field).toBe('developer');
    });

    it('rejects a body that is not JSON with a clear message', async () => {
      const broken = await request(`${base}/1/report`, {
        method: 'POST',
        raw: '{"date":',
        headers: { ...auth, 'content-type': 'application/json' },
      });
      expect(broken.status).toBe(400);
      expect(broken.body.message).toMatch(/JSON/);
      const xml = await request(`${base}/1/report`, {
        method: 'POST',
        raw: '<report/>',
        headers: { ...auth, 'content-type': 'application/xml' },
      });
      expect(xml.status).toBe(415);
    });

    it('413 for a body over the limit, even when gzip hides its size', async () => {
      const huge = {
        ...fixture,
        metrics: { ...fixture.metrics, projects: ['p'.repeat(200)] },
        padding: 'x'.repeat(1_100_000),
      };
      const plain = await request(`${base}/1/report`, { headers: auth, body: huge });
      expect(plain.status).toBe(413);
      const gzipped = await request(`${base}/1/report`, {
        method: 'POST',
        raw: gzipSync(JSON.stringify(huge)),
        headers: { ...auth, 'content-type': 'application/json', 'content-encoding': 'gzip' },
      });
      expect(gzipped.status).toBe(413);
    });
  });

  it('manages the token: PATCH secretToken null removes it; DELETE makes reports 404', async () => {
    const patched = await request(`${base}/1`, { method: 'PATCH', body: { secretToken: null } });
    expect(patched.body.hasSecretToken).toBe(false);
    expect((await request(`${base}/1/report`, { body: { ...fixture, date: '2026-02-13' } })).status).toBe(
      200,
    );

    const second = await request(base, { body: { name: 'Temporary' } });
    expect(second.body.id).toBe(2);
    expect((await request(`${base}/2`, { method: 'DELETE' })).body).toEqual({
      success: true,
      message: 'connection deleted',
    });
    expect((await request(`${base}/2/report`, { body: fixture })).status).toBe(404);
    expect((await request(`${base}/2`, { method: 'DELETE' })).status).toBe(404);
    const third = await request(base, { body: { name: 'Next' } });
    expect(third.body.id).toBe(3);
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
    expect(created.data.createConnection).toEqual({ id: 4, hasSecretToken: true });
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
    const missing = await graphql(
      app.url,
      `
        {
          connection(id: 99) {
            id
          }
        }
      `,
    );
    expect(missing.errors[0]).toMatchObject({
      message: 'connection 99 not found',
      extensions: { code: 'NOT_FOUND' },
    });
    const deleted = await graphql(
      app.url,
      `
        mutation {
          deleteConnection(id: 4)
        }
      `,
    );
    expect(deleted.data.deleteConnection).toBe(true);
    expect(
      (await request(`${base}/4/report`, { body: fixture, headers: { authorization: 'Bearer t' } })).status,
    ).toBe(404);
  });

  it('keeps every accepted report across a restart', async () => {
    await app.stop();
    app = await startTestApp(dataDir);
    base = `${app.url}/plugins/developer_telemetry/connections`;
    const result = await graphql(
      app.url,
      `
        {
          developerMetrics(connectionId: 1) {
            totalCount
            items {
              date
              activeHours
            }
          }
        }
      `,
    );
    expect(result.data.developerMetrics).toEqual({
      totalCount: 3,
      items: [
        { date: '2026-02-13', activeHours: 9 },
        { date: '2026-02-12', activeHours: 7 },
        { date: '2026-02-11', activeHours: 5 },
      ],
    });
    expect((await request(`${base}/1`)).body.hasSecretToken).toBe(false);
  });

  it('serves health, readiness and Prometheus metrics', async () => {
    expect((await request(`${app.url}/health`)).body).toMatchObject({ ok: true });
    expect((await request(`${app.url}/ready`)).body).toMatchObject({
      ready: true,
      checks: { clickhouse: { ok: true } },
    });
    const metrics = await fetch(`${app.url}/metrics`).then((r) => r.text());
    expect(metrics).toContain('http_request_duration_seconds_bucket');
    expect(metrics).toContain('process_resident_memory_bytes');
  });
});
