import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { STORE_MIGRATIONS, createClickHouseClient, readAllMigrations } from '@th/store';
import {
  CLUSTER_SCHEMA_PATH,
  clusterSchemaDocument,
  clusterSchemaStatements,
} from './cluster-schema-document';
import { migrationSources } from './compose';

const oneLine = (sql: string) => sql.replace(/\s+/g, ' ').trim();

describe('the schema on a ClickHouse cluster (CLICKHOUSE_CLUSTER)', () => {
  let statements: string[];
  let singleServer: string[];
  beforeAll(async () => {
    statements = (await clusterSchemaStatements('hub')).flatMap((m) => m.statements).map(oneLine);
    singleServer = (await readAllMigrations([STORE_MIGRATIONS, ...migrationSources()]))
      .flatMap((m) => m.statements)
      .map(oneLine);
  });

  it('is what deploy/clickhouse/cluster-schema.sql shows SREs (run `npm run schema:cluster` after a migration)', async () => {
    const file = readFileSync(resolve(__dirname, '../../..', CLUSTER_SCHEMA_PATH), 'utf8');
    expect(file).toBe(await clusterSchemaDocument());
  });

  it('runs every statement on the whole cluster, except backfills that go through Distributed tables', () => {
    for (const statement of statements) {
      if (statement.startsWith('INSERT INTO')) expect(statement).not.toMatch(/_local\b/);
      else expect(statement).toContain("ON CLUSTER 'hub'");
    }
  });

  it('puts every table behind a Distributed one sharded by the key its rows deduplicate on', () => {
    const created = singleServer.flatMap((sql) => /^CREATE TABLE IF NOT EXISTS (\w+) /.exec(sql)?.[1] ?? []);
    expect(created).toEqual(
      expect.arrayContaining(['app_events', 'developer_metrics', 'api_keys', 'dead_letters']),
    );
    for (const table of created) {
      const source = singleServer.find((sql) => sql.startsWith(`CREATE TABLE IF NOT EXISTS ${table} `))!;
      const orderBy = /ORDER BY (\(.*?\)(?= SETTINGS|$)|\w+)/.exec(source)![1].replace(/^\((.*)\)$/, '$1');
      const local = statements.find((sql) => sql.startsWith(`CREATE TABLE IF NOT EXISTS ${table}_local `))!;
      expect(local).toMatch(
        /ENGINE = Replicated\w*MergeTree\('\/clickhouse\/tables\/\{shard\}\/\{database\}\/\{table\}', '\{replica\}'/,
      );
      expect(local).not.toContain('non_replicated_deduplication_window');
      expect(statements).toContain(
        `CREATE TABLE IF NOT EXISTS ${table} ON CLUSTER 'hub' AS ${table}_local ` +
          `ENGINE = Distributed('hub', currentDatabase(), '${table}_local', cityHash64(${orderBy}))`,
      );
    }
  });

  it('fires each materialized view on the local source and writes to the Distributed target', () => {
    const views = statements.filter((sql) => sql.startsWith('CREATE MATERIALIZED VIEW'));
    expect(views.length).toBeGreaterThanOrEqual(3);
    for (const view of views) {
      expect(view).toMatch(/ TO (\w+) AS /);
      expect(view).not.toMatch(/ TO \w+_local /);
      expect(view).toMatch(/ FROM \w+_local\b/);
    }
  });

  it('mirrors column changes on the Distributed table, and keeps indexes local', () => {
    const alters = statements.filter((sql) => sql.startsWith('ALTER TABLE'));
    expect(alters.filter((sql) => sql.startsWith('ALTER TABLE developer_metrics '))).toHaveLength(1);
    expect(alters.filter((sql) => sql.startsWith('ALTER TABLE developer_metrics_local '))).toHaveLength(1);
    for (const alter of alters.filter((sql) => /INDEX/.test(sql)))
      expect(alter).toMatch(/^ALTER TABLE \w+_local /);
  });

  describe("on the engine's parser (chDB)", () => {
    const root = mkdtempSync(join(tmpdir(), 'th-cluster-schema-'));
    let client: ClickHouseClient;
    beforeAll(() => {
      client = createClickHouseClient({ kind: 'embedded', path: join(root, 'db') });
    });
    afterAll(async () => {
      await client.close();
      rmSync(root, { recursive: true, force: true });
    });

    it('parses every translated statement', async () => {
      for (const statement of statements) {
        // A syntax error rejects; the first line of the tree names the kind of statement parsed.
        const ast = await client.query({ query: `EXPLAIN AST ${statement}`, format: 'TabSeparatedRaw' });
        expect(await ast.text()).toMatch(/^"?(CreateQuery|AlterQuery|InsertQuery)/);
      }
    });
  });
});
