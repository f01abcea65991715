import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvelopeRoutes } from '@th/bus';
import { CODESCAN_TOPIC } from '@th/code-scanning';
import { TOPICS } from '@th/contracts';
import {
  STORE_MIGRATIONS,
  createClickHouseClient,
  readAllMigrations,
  runMigrations,
  splitStatements,
} from '@th/store';
import { DOMAINS, domainConfigVariables, envelopeRoutes, migrationSources, topicSpecs } from './index';

describe('the domain registry', () => {
  it('gives every envelope kind one topic, and the projector every topic an envelope travels on', () => {
    const routes = new EnvelopeRoutes(envelopeRoutes());
    expect(routes.topicOf('developer-report')).toBe(TOPICS.reports);
    expect(routes.topicOf('app-event-batch')).toBe(TOPICS.events);
    expect(routes.topicOf('pr-trace-batch')).toBe(TOPICS.traces);
    expect(routes.topicOf('codescan-run')).toBe(CODESCAN_TOPIC);
    expect(routes.consumedTopics().sort()).toEqual([
      CODESCAN_TOPIC,
      TOPICS.events,
      TOPICS.reports,
      TOPICS.traces,
    ]);
  });

  it('creates the dead-letter topic, every envelope topic and the compacted connections topic', () => {
    const specs = topicSpecs();
    expect(specs.map((s) => s.name)).toEqual(
      expect.arrayContaining([TOPICS.deadLetters, TOPICS.reports, TOPICS.events, 'telemetry.connections.v1']),
    );
    expect(specs.find((s) => s.name === 'telemetry.connections.v1')?.configEntries).toEqual([
      { name: 'cleanup.policy', value: 'compact' },
    ]);
    // The log is the source of truth: envelope and dead-letter topics never expire.
    for (const name of [TOPICS.events, TOPICS.reports, TOPICS.deadLetters])
      expect(specs.find((s) => s.name === name)?.configEntries).toEqual([
        { name: 'retention.ms', value: '-1' },
        { name: 'retention.bytes', value: '-1' },
      ]);
  });

  it('names each domain once and lets no two domains claim one variable', () => {
    expect(new Set(DOMAINS.map((d) => d.name)).size).toBe(DOMAINS.length);
    expect(Object.keys(domainConfigVariables())).toEqual(expect.arrayContaining(['JWC_MAX_BATCH', 'GEO_DB']));
    const twin = { ...DOMAINS[1], name: 'twin' };
    expect(() => domainConfigVariables([...DOMAINS, twin])).toThrow(
      'config variable JWC_MAX_BATCH is declared by both app-events and twin',
    );
  });
});

describe("the domains' migrations on chDB", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'th-registry-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('create every table, owned per domain, once', async () => {
    const client = createClickHouseClient({ kind: 'embedded', path: join(dir, 'db') });
    try {
      const migrations = await readAllMigrations([STORE_MIGRATIONS, ...migrationSources()]);
      expect(migrations.map((m) => m.key)).toEqual([
        'store/0001',
        'access/0001',
        'access/0002',
        'developer-reports/0001',
        'developer-reports/0002',
        'developer-reports/0003',
        'app-events/0001',
        'app-events/0002',
        'app-events/0003',
        'app-events/0004',
        'pr-traces/0001',
        'otel-traces/0001',
        'otel-traces/0002',
        'code-scanning/0001',
      ]);
      expect(await runMigrations(client, migrations)).toHaveLength(14);
      expect(await runMigrations(client, migrations)).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('keep a data directory created before the move working: nothing re-applied, nothing edited', async () => {
    const client = createClickHouseClient({ kind: 'embedded', path: join(dir, 'db') });
    try {
      // What the runner of commit 6e084a4 left behind: flat versions 0001..0005, same file contents,
      // in its order (connections, metrics, dead letters, app events, rollups).
      const migrations = await readAllMigrations([STORE_MIGRATIONS, ...migrationSources()]);
      const legacyOrder = [
        'developer-reports/0001',
        'developer-reports/0002',
        'store/0001',
        'app-events/0001',
        'app-events/0002',
      ];
      await client.command({
        query: `CREATE TABLE schema_migrations (version String, name String, checksum String,
          applied_at DateTime64(3, 'UTC') DEFAULT now64(3)) ENGINE = ReplacingMergeTree(applied_at) ORDER BY version`,
      });
      for (const [i, key] of legacyOrder.entries()) {
        const migration = migrations.find((m) => m.key === key)!;
        for (const statement of migration.statements) await client.command({ query: statement });
        await client.insert({
          table: 'schema_migrations',
          values: [
            { version: `000${i + 1}`, name: migration.name.split('/')[1], checksum: migration.checksum },
          ],
          format: 'JSONEachRow',
        });
      }
      await client.insert({
        table: 'dead_letters',
        values: [
          { envelope_id: 'kept', kind: 'k', reason: 'r', original: '', failed_at: '2026-01-01 00:00:00' },
        ],
        format: 'JSONEachRow',
      });

      await client.insert({
        table: 'app_events',
        values: [{ event_id: 'e1', ts: '2026-01-02 09:30:00.000', evt: 'x', user_key: 7, version: 1 }],
        format: 'JSONEachRow',
      });
      await client.insert({
        table: 'developer_metrics',
        values: [{ connection_id: 1, developer_id: 'ada', date: '2026-01-02', active_hours: 3, version: 1 }],
        format: 'JSONEachRow',
      });

      // Only what came after the move is new to such a directory.
      expect(await runMigrations(client, migrations)).toEqual([
        'access/0001_api_keys.sql',
        'access/0002_api_key_last_used.sql',
        'developer-reports/0003_developer_metrics_activity.sql',
        'app-events/0003_app_events_id_index.sql',
        'app-events/0004_app_users_hourly.sql',
        'pr-traces/0001_pr_traces.sql',
        'otel-traces/0001_otel_traces.sql',
        'otel-traces/0002_endpoint_usage_rollups.sql',
        'code-scanning/0001_code_scanning.sql',
      ]);
      // Events stored before hourly users existed are counted in them.
      const hourly = await (
        await client.query({
          query: 'SELECT toString(day) AS day, hour, user_key FROM app_users_hourly',
          format: 'JSONEachRow',
        })
      ).json();
      expect(hourly).toEqual([{ day: '2026-01-02', hour: 9, user_key: '7' }]);
      // A report stored before git activity existed reads as "not reported".
      const reports = await (
        await client.query({
          query: `SELECT developer_id, active_hours, has_git_activity, total_commits, repositories,
                  has_development_activity FROM developer_metrics`,
          format: 'JSONEachRow',
        })
      ).json();
      expect(reports).toEqual([
        {
          developer_id: 'ada',
          active_hours: 3,
          has_git_activity: 0,
          total_commits: '0',
          repositories: [],
          has_development_activity: 0,
        },
      ]);
      const rows = await (
        await client.query({ query: 'SELECT envelope_id FROM dead_letters', format: 'JSONEachRow' })
      ).json();
      expect(rows).toEqual([{ envelope_id: 'kept' }]);
      expect(splitStatements('SELECT 1;')).toEqual(['SELECT 1']);
    } finally {
      await client.close();
    }
  });
});
