import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestApp, makeDataDir, removeDataDir, startTestApp } from './helpers/embedded-app';
import { graphql, request } from './helpers/http';

/** The DevLake collector's report, exactly as its shell script builds it. */
const collectorReport = JSON.parse(
  readFileSync(join(__dirname, 'fixtures/devlake-collector-report.json'), 'utf8'),
);

/** The headers the collector sends with every report. */
const collectorHeaders = (apiKey: string) => ({
  'content-type': 'application/json',
  'user-agent': 'DevLake-Telemetry-Collector/1.0',
  authorization: `Bearer ${apiKey}`,
});

const PLUGIN = 'plugins/developer_telemetry';

/** Every prefix an installation reaches the plugin through; the collector's docs give the first. */
const PREFIXES = ['/api/rest', '/rest', '/api', ''] as const;

/**
 * Issue 9: the real DevLake collector against the hub. A connection is created the way DevLake's
 * UI creates it, its API key is taken from the answer, and the collector's exact request (its
 * paths, headers and body) is replayed and read back field by field. Every test makes its own
 * connections (names are unique) and its own developers, so each passes alone and in any order.
 */
describe('DevLake collector drop-in (embedded)', () => {
  const dataDir = makeDataDir();
  let app: TestApp;
  let made = 0;

  beforeAll(async () => {
    app = await startTestApp(dataDir);
  });

  afterAll(async () => {
    await app?.stop();
    removeDataDir(dataDir);
  });

  /** A connection created through DevLake's UI proxy, with the API key it answers once. */
  async function createConnection(
    body: Record<string, unknown> = {},
  ): Promise<{ id: number; apiKey: string }> {
    const created = await request(`${app.url}/api/${PLUGIN}/connections`, {
      body: { name: `collector team ${++made}`, endpoint: '', proxy: '', rateLimitPerHour: 0, ...body },
    });
    expect(created.status).toBe(200);
    return { id: created.body.id, apiKey: created.body.apiKey.apiKey };
  }

  const reportUrl = (prefix: string, id: number) => `${app.url}${prefix}/${PLUGIN}/connections/${id}/report`;

  /** The collector's report for its own developer and day. */
  const reportOf = (
    developer: string,
    date = collectorReport.date,
    changes: Record<string, unknown> = {},
  ) => ({
    ...collectorReport,
    developer,
    date,
    ...changes,
  });

  const METRICS = `query($developer: String) { developerMetrics(developer: $developer) { totalCount items {
    connectionId developerId date email name hostname activeHours toolsUsed projectContext
    commandCounts { name count }
    gitActivity { totalCommits totalLinesAdded totalLinesDeleted totalFilesChanged
      repositories { name path commits linesAdded linesDeleted filesChanged branchesWorked } }
    developmentActivity { testRunsDetected buildCommandsDetected } } } }`;

  const metricsOf = async (developer: string) => {
    const result = await graphql(app.url, METRICS, { developer });
    expect(result.errors).toBeUndefined();
    return result.data.developerMetrics.items;
  };

  it('answers a connection created the DevLake way with its apiKey, once, stored only as a hash', async () => {
    const created = await request(`${app.url}/api/${PLUGIN}/connections`, {
      body: { name: 'DevLake-style', endpoint: '', proxy: '', rateLimitPerHour: 0 },
    });
    expect(created.status).toBe(200);
    const id: number = created.body.id;
    expect(created.body).toMatchObject({
      id,
      name: 'DevLake-style',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      apiKey: {
        apiKey: expect.stringMatching(/^thk_[A-Za-z0-9_-]{43}$/),
        allowedPath: `/plugins/developer_telemetry/connections/${id}/.*`,
        type: 'plugin:developer_telemetry',
        expiredAt: null,
      },
    });
    const key: string = created.body.apiKey.apiKey;
    // Never shown again: not by the connection, not in the list.
    const again = await request(`${app.url}/api/${PLUGIN}/connections/${id}`);
    expect(again.status).toBe(200);
    expect(JSON.stringify(again.body)).not.toContain(key);
    expect(JSON.stringify((await request(`${app.url}/${PLUGIN}/connections`)).body)).not.toContain(key);
    // Names are unique, as in DevLake.
    const duplicate = await request(`${app.url}/${PLUGIN}/connections`, { body: { name: 'DevLake-style' } });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.message).toContain('already exists');
  });

  it.each(PREFIXES)(
    "stores the collector's exact request on %s/plugins/..., every field read back",
    async (prefix) => {
      const { id, apiKey } = await createConnection();
      const developer = `alice${prefix.replace(/\//g, '-')}`;
      const response = await request(reportUrl(prefix, id), {
        headers: collectorHeaders(apiKey),
        raw: JSON.stringify(reportOf(developer)),
      });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        code: 0,
        success: true,
        message: 'telemetry data received successfully',
        causes: null,
        data: null,
      });
      expect(await metricsOf(developer)).toEqual([
        {
          connectionId: id,
          developerId: developer,
          date: '2026-02-12',
          email: 'alice@example.com',
          name: 'Alice Dev',
          hostname: 'alice-macbook-pro',
          activeHours: 7,
          toolsUsed: ['docker', 'node', 'python', 'vscode'],
          projectContext: ['backend-api'],
          commandCounts: [],
          gitActivity: {
            totalCommits: 5,
            totalLinesAdded: 240,
            totalLinesDeleted: 31,
            totalFilesChanged: 9,
            repositories: [
              {
                name: 'backend-api',
                path: '/Users/alice/work/backend-api',
                commits: 5,
                linesAdded: 240,
                linesDeleted: 31,
                filesChanged: 9,
                branchesWorked: ['feature/login', 'main'],
              },
            ],
          },
          developmentActivity: { testRunsDetected: 12, buildCommandsDetected: 4 },
        },
      ]);
    },
  );

  describe("DevLake's key gate on /rest and /api/rest", () => {
    it('401 without a bearer credential, 403 for an unknown key or another connection’s key', async () => {
      const mine = await createConnection();
      const theirs = await createConnection();
      const url = reportUrl('/api/rest', mine.id);
      const body = JSON.stringify(reportOf('gate-dev'));
      const post = (headers: Record<string, string>) =>
        request(url, { headers: { 'content-type': 'application/json', ...headers }, raw: body });

      const missing = await post({});
      expect([missing.status, missing.body.message]).toEqual([401, 'token is missing']);
      const basic = await post({ authorization: 'Basic dXNlcjpwYXNz' });
      expect([basic.status, basic.body.message]).toEqual([401, 'token is not present or malformed']);
      const unknown = await post({ authorization: 'Bearer thk_not-a-key' });
      expect([unknown.status, unknown.body.message]).toEqual([403, 'api key is invalid']);
      const other = await post({ authorization: `Bearer ${theirs.apiKey}` });
      expect([other.status, other.body.message]).toEqual([403, "path doesn't match api key's scope"]);
      // Another connection's key is refused on the plugin's own path too.
      const direct = await request(reportUrl('', mine.id), {
        headers: collectorHeaders(theirs.apiKey),
        raw: body,
      });
      expect(direct.status).toBe(403);
      // DevLake's fields are on every error body.
      expect(other.body).toMatchObject({ code: 0, success: false, causes: null, data: null });
      expect(await metricsOf('gate-dev')).toEqual([]);
      // Operators see refused credentials by reason (an old key left in a fleet), never the key.
      const metrics = await (await fetch(`${app.url}/metrics`)).text();
      for (const reason of ['missing', 'malformed', 'unknown_key', 'out_of_scope'])
        expect(metrics).toMatch(
          new RegExp(`developer_reports_refused_credentials_total\\{reason="${reason}"\\} [1-9]`),
        );
      expect(metrics).not.toContain(theirs.apiKey);
    });

    it("takes the connection's secretToken as well as its key", async () => {
      const { id } = await createConnection({ secretToken: 'team-secret' });
      const response = await request(reportUrl('/rest', id), {
        headers: collectorHeaders('team-secret'),
        raw: JSON.stringify(reportOf('token-dev')),
      });
      expect(response.status).toBe(200);
      expect(await metricsOf('token-dev')).toHaveLength(1);
    });

    it('gates the other routes by the key’s scope: its own test route, not the connection list', async () => {
      const { id, apiKey } = await createConnection();
      const test = `${app.url}/api/rest/${PLUGIN}/connections/${id}/test`;
      expect((await request(test, { method: 'POST' })).status).toBe(401);
      const tested = await request(test, { method: 'POST', headers: { authorization: `Bearer ${apiKey}` } });
      expect(tested.status).toBe(200);
      expect(tested.body).toMatchObject({ success: true, message: 'connection test successful' });
      const list = await request(`${app.url}/rest/${PLUGIN}/connections`, {
        headers: { authorization: `Bearer ${apiKey}` },
      });
      expect(list.status).toBe(403);
      // Outside the gate, the plugin's own test route needs no key (as in DevLake).
      expect((await request(`${app.url}/${PLUGIN}/connections/${id}/test`, { method: 'POST' })).status).toBe(
        200,
      );
    });
  });

  it('rotates a key through the admin route and GraphQL: the new one works, the old one is refused', async () => {
    const { id, apiKey: first } = await createConnection();
    const post = (key: string, developer: string) =>
      request(reportUrl('/api/rest', id), {
        headers: collectorHeaders(key),
        raw: JSON.stringify(reportOf(developer)),
      });

    const rotated = await request(`${app.url}/${PLUGIN}/connections/${id}/api-key`, { method: 'POST' });
    expect(rotated.status).toBe(200);
    const second: string = rotated.body.apiKey;
    expect(second).toMatch(/^thk_/);
    expect((await post(first, 'rotate-dev')).status).toBe(403);
    expect((await post(second, 'rotate-dev')).status).toBe(200);

    const viaGraphql = await graphql(
      app.url,
      `
        mutation ($id: Int!) {
          rotateConnectionApiKey(id: $id) {
            apiKey
            allowedPath
          }
        }
      `,
      { id },
    );
    expect(viaGraphql.errors).toBeUndefined();
    const third: string = viaGraphql.data.rotateConnectionApiKey.apiKey;
    expect(viaGraphql.data.rotateConnectionApiKey.allowedPath).toBe(
      `/plugins/developer_telemetry/connections/${id}/.*`,
    );
    expect((await post(second, 'rotate-dev')).status).toBe(403);
    expect((await post(third, 'rotate-dev')).status).toBe(200);

    // A deleted connection takes no more reports, whatever the key.
    expect((await request(`${app.url}/${PLUGIN}/connections/${id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await post(third, 'rotate-dev')).status).toBe(404);
  });

  it('adopts the key an installation’s collectors already hold, so only their host changes', async () => {
    const { id } = await createConnection();
    const devlakeKey = `devlake-minted-${id}-Zq8v1Ew9RxT4`;
    const adopted = await request(`${app.url}/${PLUGIN}/connections/${id}/api-key`, {
      body: { apiKey: devlakeKey },
    });
    expect(adopted.status).toBe(200);
    expect(adopted.body.apiKey).toBe(devlakeKey);
    const response = await request(reportUrl('/api/rest', id), {
      headers: collectorHeaders(devlakeKey),
      raw: JSON.stringify(reportOf('adopted-dev')),
    });
    expect(response.status).toBe(200);

    // One key, one connection: another connection cannot adopt it; a short key is refused.
    const other = await createConnection();
    const taken = await graphql(
      app.url,
      `
        mutation ($id: Int!, $key: String) {
          rotateConnectionApiKey(id: $id, apiKey: $key) {
            apiKey
          }
        }
      `,
      { id: other.id, key: devlakeKey },
    );
    expect(taken.errors?.[0].message).toContain('apiKey is already in use');
    const short = await request(`${app.url}/${PLUGIN}/connections/${id}/api-key`, {
      body: { apiKey: 'short' },
    });
    expect(short.status).toBe(400);
    expect(short.body.errors).toEqual([
      { field: 'apiKey', message: 'must be 16 to 512 printable characters without spaces' },
    ]);
  });

  it('creates the key through GraphQL as well', async () => {
    const created = await graphql(
      app.url,
      `
        mutation {
          createConnection(input: { name: "collector via graphql" }) {
            id
            apiKey {
              apiKey
              allowedPath
            }
          }
        }
      `,
    );
    expect(created.errors).toBeUndefined();
    const { id, apiKey } = created.data.createConnection;
    const response = await request(reportUrl('/api/rest', id), {
      headers: collectorHeaders(apiKey.apiKey),
      raw: JSON.stringify(reportOf('graphql-dev')),
    });
    expect(response.status).toBe(200);
  });

  describe('no day lost to a 4xx DevLake would not give', () => {
    it('keeps 26 active hours as sent; summaries clip the day to 24 and count it as implausible', async () => {
      const { id, apiKey } = await createConnection();
      for (const [date, hours] of [
        ['2026-02-10', 26],
        ['2026-02-11', 7.5],
      ] as const) {
        const body = reportOf('busy-dev', date, {
          metrics: { ...collectorReport.metrics, active_hours: hours },
        });
        const response = await request(reportUrl('/api/rest', id), {
          headers: collectorHeaders(apiKey),
          raw: JSON.stringify(body),
        });
        expect(response.status).toBe(200);
      }
      const stored = await metricsOf('busy-dev');
      expect(stored.map((m: { activeHours: number }) => m.activeHours)).toEqual([7.5, 26]);
      const summary = await graphql(
        app.url,
        `
          {
            developerSummaries(developer: "busy-dev") {
              items {
                daysReported
                totalActiveHours
                averageActiveHours
                implausibleDays
                totalCommits
                totalLinesAdded
                totalLinesDeleted
                totalFilesChanged
                testRunsDetected
                buildCommandsDetected
                topRepositories {
                  name
                  count
                }
              }
            }
          }
        `,
      );
      expect(summary.errors).toBeUndefined();
      expect(summary.data.developerSummaries.items).toEqual([
        {
          daysReported: 2,
          totalActiveHours: 31.5,
          averageActiveHours: 15.75,
          implausibleDays: 1,
          totalCommits: 10,
          totalLinesAdded: 480,
          totalLinesDeleted: 62,
          totalFilesChanged: 18,
          testRunsDetected: 24,
          buildCommandsDetected: 8,
          topRepositories: [{ name: 'backend-api', count: 10 }],
        },
      ]);
    });

    it('accepts a report without metrics, null fields, and the older collectors’ commands map', async () => {
      const { id, apiKey } = await createConnection();
      const post = (body: unknown) =>
        request(reportUrl('/api/rest', id), { headers: collectorHeaders(apiKey), raw: JSON.stringify(body) });

      expect((await post({ date: '2026-02-10', developer: 'bare-dev' })).status).toBe(200);
      expect(
        (
          await post({
            date: '2026-02-10',
            developer: 'null-dev',
            email: null,
            metrics: { git_activity: null },
          })
        ).status,
      ).toBe(200);
      const older = {
        date: '2026-02-10',
        developer: 'old-dev',
        metrics: { active_hours: 3, commands: { git: 4.9 } },
      };
      expect((await post(older)).status).toBe(200);

      expect(await metricsOf('bare-dev')).toEqual([
        expect.objectContaining({
          activeHours: 0,
          toolsUsed: [],
          gitActivity: null,
          developmentActivity: null,
        }),
      ]);
      expect(await metricsOf('null-dev')).toEqual([
        expect.objectContaining({ email: '', gitActivity: null }),
      ]);
      // DevLake reads counts into integers: 4.9 uses is 4.
      expect(await metricsOf('old-dev')).toEqual([
        expect.objectContaining({ activeHours: 3, commandCounts: [{ name: 'git', count: 4 }] }),
      ]);
    });

    it('400 naming a wrongly typed git_activity, and a negative count', async () => {
      const { id, apiKey } = await createConnection();
      const post = (metrics: unknown) =>
        request(reportUrl('/api/rest', id), {
          headers: collectorHeaders(apiKey),
          raw: JSON.stringify(reportOf('typed-dev', '2026-02-10', { metrics })),
        });

      const notObject = await post({ git_activity: 'lots' });
      expect(notObject.status).toBe(400);
      expect(notObject.body.errors).toEqual([
        { field: 'metrics.git_activity', message: 'must be an object' },
      ]);
      expect(notObject.body.causes).toEqual(['metrics.git_activity must be an object']);

      const wrongFields = await post({
        git_activity: { total_commits: '5', repositories: [{ name: 'x', branches_worked: 'main' }] },
        development_activity: { test_runs_detected: -1 },
      });
      expect(wrongFields.status).toBe(400);
      expect(wrongFields.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'metrics.development_activity.test_runs_detected',
        'metrics.git_activity.repositories.0.branches_worked',
        'metrics.git_activity.total_commits',
      ]);
      expect(await metricsOf('typed-dev')).toEqual([]);
    });
  });
});
