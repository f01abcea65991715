import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { distributedAppsForSuite, eventually } from '../helpers/distributed';
import { graphql, request } from '../helpers/http';

const fixture = JSON.parse(readFileSync(join(__dirname, '../fixtures/devlake-report.json'), 'utf8'));

/** Distributed mode on the real broker: gateway -> Kafka -> projector -> ClickHouse -> GraphQL. */
describe('DevLake reports through Kafka', () => {
  const apps = distributedAppsForSuite();

  it('stores each report exactly once, the latest winning, and serves it over GraphQL', async () => {
    const base = `${apps.gateway.url}/plugins/developer_telemetry/connections`;
    const created = await request(base, { body: { name: 'kafka team', secretToken: 'k-secret' } });
    expect(created.status).toBe(200);
    const id: number = created.body.id;
    const auth = { authorization: 'Bearer k-secret' };
    const developer = `dev-${id}-${Date.now()}`;

    const days = ['2026-03-01', '2026-03-02', '2026-03-03'];
    for (const date of days) {
      const sent = await request(`${base}/${id}/report`, {
        headers: auth,
        body: { ...fixture, developer, date },
      });
      expect(sent.status).toBe(200);
    }
    // Resent unchanged, then changed: still one row per day, the last values winning.
    await request(`${base}/${id}/report`, { headers: auth, body: { ...fixture, developer, date: days[0] } });
    const changed = {
      ...fixture,
      developer,
      date: days[0],
      metrics: { ...fixture.metrics, active_hours: 2 },
    };
    expect((await request(`${base}/${id}/report`, { headers: auth, body: changed })).status).toBe(200);

    const summary = await eventually(
      async () => {
        const result = await graphql(
          apps.projector.url,
          `
            query ($c: Int, $d: String) {
              developerSummaries(connectionId: $c, developer: $d) {
                items {
                  daysReported
                  totalActiveHours
                }
              }
              developerMetrics(connectionId: $c, developer: $d) {
                totalCount
                items {
                  date
                  activeHours
                }
              }
            }
          `,
          { c: id, d: developer },
        );
        // Two queries answer this request; wait until both have seen the last report.
        const hours = result.data?.developerSummaries.items[0]?.totalActiveHours;
        return hours === 2 + 9 + 9 ? result.data : undefined;
      },
      60_000,
      'the reports to be projected',
    );
    expect(summary.developerMetrics.totalCount).toBe(3);
    expect(summary.developerMetrics.items.map((i: { activeHours: number }) => i.activeHours).sort()).toEqual([
      2, 9, 9,
    ]);
    expect(summary.developerSummaries.items).toEqual([{ daysReported: 3, totalActiveHours: 2 + 9 + 9 }]);
  });

  it('rejects a report for an unknown connection at the gateway, without a database', async () => {
    const response = await request(
      `${apps.gateway.url}/plugins/developer_telemetry/connections/999999/report`,
      {
        body: fixture,
      },
    );
    expect(response.status).toBe(404);
  });

  it('shows connections created at the gateway in the api', async () => {
    const created = await request(`${apps.gateway.url}/plugins/developer_telemetry/connections`, {
      body: { name: 'seen by api' },
    });
    const result = await eventually(async () => {
      const r = await graphql(
        apps.projector.url,
        `
          query ($id: Int!) {
            connection(id: $id) {
              name
            }
          }
        `,
        { id: created.body.id },
      );
      return r.data?.connection ? r.data : undefined;
    });
    expect(result.connection.name).toBe('seen by api');
  });

  it("takes the collector's key at the gateway; a key rotated on the api replaces it there within seconds", async () => {
    const created = await request(`${apps.gateway.url}/api/plugins/developer_telemetry/connections`, {
      body: { name: 'kafka collector' },
    });
    expect(created.status).toBe(200);
    const id: number = created.body.id;
    const post = (key: string) =>
      request(`${apps.gateway.url}/api/rest/plugins/developer_telemetry/connections/${id}/report`, {
        headers: { authorization: `Bearer ${key}` },
        body: { ...fixture, developer: `collector-${id}` },
      });
    expect((await post(created.body.apiKey.apiKey)).status).toBe(200);

    const rotated = await graphql(
      apps.projector.url,
      `
        mutation ($id: Int!) {
          rotateConnectionApiKey(id: $id) {
            apiKey
          }
        }
      `,
      { id },
    );
    expect(rotated.errors).toBeUndefined();
    const newKey: string = rotated.data.rotateConnectionApiKey.apiKey;
    // The key store is the compacted api-keys topic: the gateway follows what the api wrote.
    await eventually(async () => ((await post(newKey)).status === 200 ? true : undefined), 20_000, 'new key');
    await eventually(
      async () => ((await post(created.body.apiKey.apiKey)).status === 403 ? true : undefined),
      20_000,
      'old key refused',
    );
  });

  it('creates the source topics with a log that never expires, and the state topics compacted', async () => {
    const admin = new Kafka({
      brokers: [process.env.KAFKA_BROKERS ?? ''],
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    try {
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [
          'telemetry.events.v1',
          'telemetry.reports.v1',
          'telemetry.dlq.v1',
          'telemetry.api-keys.v1',
        ].map((name) => ({
          type: ConfigResourceTypes.TOPIC,
          name,
          configNames: ['retention.ms', 'cleanup.policy'],
        })),
      });
      const settings = Object.fromEntries(
        resources.map((r) => [
          r.resourceName,
          Object.fromEntries(r.configEntries.map((e) => [e.configName, e.configValue])),
        ]),
      );
      expect(settings).toEqual({
        'telemetry.events.v1': { 'retention.ms': '-1', 'cleanup.policy': 'delete' },
        'telemetry.reports.v1': { 'retention.ms': '-1', 'cleanup.policy': 'delete' },
        'telemetry.dlq.v1': { 'retention.ms': '-1', 'cleanup.policy': 'delete' },
        'telemetry.api-keys.v1': expect.objectContaining({ 'cleanup.policy': 'compact' }),
      });
    } finally {
      await admin.disconnect();
    }
  });

  it('reports consumer lag and batch metrics', async () => {
    const projectorMetrics = () => fetch(`${apps.projector.url}/metrics`).then((r) => r.text());
    /** The value of one sample line, or 0 when the series has no sample yet. */
    const sample = (metrics: string, series: RegExp) => {
      const match = new RegExp(`^${series.source} (\\d+)$`, 'm').exec(metrics);
      return match ? Number(match[1]) : 0;
    };
    const batches = /projector_batch_messages_count\{topic="telemetry\.reports\.v1"\}/;
    const inserts = /store_insert_duration_seconds_count\{table="developer_metrics"\}/;
    const before = await projectorMetrics();

    // A report of this test's own, through the gateway, until it can be read back.
    const base = `${apps.gateway.url}/plugins/developer_telemetry/connections`;
    const id: number = (await request(base, { body: { name: 'metrics' } })).body.id;
    const developer = `metrics-dev-${id}-${Date.now()}`;
    expect((await request(`${base}/${id}/report`, { body: { ...fixture, developer } })).status).toBe(200);
    await eventually(
      async () => {
        const result = await graphql(
          apps.projector.url,
          `
            query ($c: Int, $d: String) {
              developerMetrics(connectionId: $c, developer: $d) {
                totalCount
              }
            }
          `,
          { c: id, d: developer },
        );
        return result.data?.developerMetrics.totalCount === 1 ? true : undefined;
      },
      60_000,
      'the report to be projected',
    );

    // The batch is measured once its offset is committed, just after its rows became readable.
    const metrics = await eventually(
      async () => {
        const text = await projectorMetrics();
        return sample(text, batches) > sample(before, batches) ? text : undefined;
      },
      30_000,
      'the batch metrics',
    );
    expect(metrics).toMatch(/^projector_batch_messages_count\{topic="telemetry\.reports\.v1"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^projector_batch_messages_sum\{topic="telemetry\.reports\.v1"\} [1-9]\d*$/m);
    expect(metrics).toMatch(
      /^projector_batch_duration_seconds_count\{topic="telemetry\.reports\.v1"\} [1-9]\d*$/m,
    );
    expect(metrics).toMatch(
      /^projector_consumer_lag\{topic="telemetry\.reports\.v1",partition="\d+"\} \d+$/m,
    );
    expect(metrics).toMatch(/^store_insert_duration_seconds_count\{table="developer_metrics"\} [1-9]\d*$/m);
    expect(sample(metrics, inserts)).toBeGreaterThan(sample(before, inserts));
  });
});
