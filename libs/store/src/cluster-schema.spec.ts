import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { createClickHouseClient } from './clickhouse-client.factory';
import { ClusterSchema, REPLICA_PATH } from './cluster-schema';
import { MigrationError } from './migration-errors';
import { CREATE_MIGRATIONS_TABLE, STORE_MIGRATIONS, migrationsFor, readMigrations } from './migration-runner';

const oneLine = (sql: string) => sql.replace(/\s+/g, ' ').trim();

describe('ClusterSchema', () => {
  const events = `CREATE TABLE IF NOT EXISTS events
(
    id String,
    ts DateTime64(3, 'UTC'),
    pair Tuple(a String, b Array(String)),
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(ts)
ORDER BY (toDate(ts), id)
SETTINGS non_replicated_deduplication_window = 1000`;

  it('creates a Replicated local table on every node and a Distributed one sharded by the dedup key', () => {
    const [local, distributed] = new ClusterSchema('hub').translate(events).map(oneLine);
    expect(local).toBe(
      "CREATE TABLE IF NOT EXISTS events_local ON CLUSTER 'hub' ( id String, ts DateTime64(3, 'UTC'), " +
        'pair Tuple(a String, b Array(String)), version UInt64 ) ' +
        `ENGINE = ReplicatedReplacingMergeTree(${REPLICA_PATH}, version) PARTITION BY toYYYYMM(ts) ` +
        'ORDER BY (toDate(ts), id) SETTINGS replicated_deduplication_window = 1000',
    );
    expect(distributed).toBe(
      "CREATE TABLE IF NOT EXISTS events ON CLUSTER 'hub' AS events_local " +
        "ENGINE = Distributed('hub', currentDatabase(), 'events_local', cityHash64(toDate(ts), id))",
    );
  });

  it('shards a table with a one-column key and no engine arguments by that column', () => {
    const [local, distributed] = new ClusterSchema('{cluster}').translate(
      'CREATE TABLE IF NOT EXISTS days (day Date, n UInt64) ENGINE = MergeTree ORDER BY day SETTINGS index_granularity = 8192',
    );
    expect(oneLine(local)).toContain(`ENGINE = ReplicatedMergeTree(${REPLICA_PATH}) ORDER BY day SETTINGS`);
    expect(distributed).toContain(
      "Distributed('{cluster}', currentDatabase(), 'days_local', cityHash64(day))",
    );
  });

  it('fires a view on the local source and writes through the Distributed target', () => {
    const schema = new ClusterSchema('hub');
    schema.translate(events);
    schema.translate(
      'CREATE TABLE IF NOT EXISTS users_daily (day Date, id String) ENGINE = ReplacingMergeTree ORDER BY (day, id)',
    );
    const [view] = schema.translate(
      'CREATE MATERIALIZED VIEW IF NOT EXISTS users_daily_mv TO users_daily AS\nSELECT DISTINCT toDate(ts) AS day, id\nFROM events',
    );
    expect(oneLine(view)).toBe(
      "CREATE MATERIALIZED VIEW IF NOT EXISTS users_daily_mv ON CLUSTER 'hub' TO users_daily AS " +
        'SELECT DISTINCT toDate(ts) AS day, id FROM events_local',
    );
  });

  it('changes columns on both tables and keeps indexes on the local one', () => {
    const schema = new ClusterSchema('hub');
    schema.translate(events);
    expect(
      schema
        .translate(
          'ALTER TABLE events\n    ADD COLUMN IF NOT EXISTS n UInt8 DEFAULT 0,\n    ADD COLUMN IF NOT EXISTS t Tuple(a String, b UInt8)',
        )
        .map(oneLine),
    ).toEqual([
      "ALTER TABLE events_local ON CLUSTER 'hub' ADD COLUMN IF NOT EXISTS n UInt8 DEFAULT 0, ADD COLUMN IF NOT EXISTS t Tuple(a String, b UInt8)",
      "ALTER TABLE events ON CLUSTER 'hub' ADD COLUMN IF NOT EXISTS n UInt8 DEFAULT 0, ADD COLUMN IF NOT EXISTS t Tuple(a String, b UInt8)",
    ]);
    expect(
      schema.translate(
        'ALTER TABLE events ADD INDEX IF NOT EXISTS id_bloom id TYPE bloom_filter(0.001) GRANULARITY 1',
      ),
    ).toEqual([
      "ALTER TABLE events_local ON CLUSTER 'hub' ADD INDEX IF NOT EXISTS id_bloom id TYPE bloom_filter(0.001) GRANULARITY 1",
    ]);
  });

  it('runs a backfill through the Distributed tables unchanged', () => {
    const schema = new ClusterSchema('hub');
    schema.translate(events);
    const backfill = 'INSERT INTO events SELECT * FROM events WHERE 0';
    expect(schema.translate(backfill)).toEqual([backfill]);
  });

  it('refuses what it cannot spread over the cluster, naming the statement', () => {
    const schema = new ClusterSchema('hub');
    expect(() => schema.translate('OPTIMIZE TABLE events FINAL')).toThrow(
      /cannot translate "OPTIMIZE TABLE events FINAL\.\.\.": only CREATE TABLE/,
    );
    expect(() => schema.translate('ALTER TABLE nowhere ADD COLUMN x UInt8')).toThrow(
      '"nowhere" is not a table created by an earlier migration',
    );
    expect(() => schema.translate('CREATE TABLE IF NOT EXISTS log (x UInt8) ENGINE = Log')).toThrow(
      'MergeTree-family ENGINE',
    );
    expect(() =>
      schema.translate('CREATE TABLE IF NOT EXISTS k (x UInt8) ENGINE = MergeTree PRIMARY KEY x'),
    ).toThrow('needs an ORDER BY');
    expect(() => new ClusterSchema("hub' --")).toThrow(MigrationError);
  });

  describe("on the engine's own parser (chDB)", () => {
    const root = mkdtempSync(join(tmpdir(), 'th-cluster-sql-'));
    let client: ClickHouseClient;
    beforeAll(() => {
      client = createClickHouseClient({ kind: 'embedded', path: join(root, 'db') });
    });
    afterAll(async () => {
      await client.close();
      rmSync(root, { recursive: true, force: true });
    });

    it("parses every statement of the store's schema as translated", async () => {
      const [store] = migrationsFor(await readMigrations(STORE_MIGRATIONS), { cluster: 'hub' });
      const statements = [
        ...new ClusterSchema('hub').translate(CREATE_MIGRATIONS_TABLE),
        ...store.statements,
      ];
      expect(statements).toHaveLength(4);
      for (const statement of statements) {
        await expect(client.query({ query: `EXPLAIN AST ${statement}` })).resolves.toBeDefined();
      }
      await expect(client.query({ query: 'EXPLAIN AST CREATE TABLE x ON CLUSTER hub (' })).rejects.toThrow(
        'Syntax error',
      );
    });
  });
});
