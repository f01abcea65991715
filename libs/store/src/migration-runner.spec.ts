import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { createClickHouseClient } from './clickhouse-client.factory';
import {
  MigrationError,
  type MigrationSource,
  STORE_MIGRATIONS,
  readAllMigrations,
  readMigrations,
  runMigrations,
  splitStatements,
} from './migration-runner';

describe('splitStatements', () => {
  it('splits on statement-ending semicolons and drops comment lines', () => {
    expect(splitStatements('-- note\nCREATE TABLE a (x UInt8) ENGINE = Memory;\n\nSELECT 1;\n')).toEqual([
      'CREATE TABLE a (x UInt8) ENGINE = Memory',
      'SELECT 1',
    ]);
  });
});

describe('runMigrations on chDB', () => {
  const root = mkdtempSync(join(tmpdir(), 'th-migrations-'));
  let client: ClickHouseClient;
  let next = 0;

  /** A migration folder of its own for one test, owned by `owner`. */
  function folder(owner: string, files: Record<string, string>): MigrationSource {
    const dir = join(root, `m${++next}`);
    mkdirSync(dir);
    for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
    return { owner, dir };
  }

  const tables = async () => {
    const result = await client.query({
      query: 'SELECT name FROM system.tables WHERE database = currentDatabase()',
      format: 'JSONEachRow',
    });
    return (await result.json<{ name: string }>()).map((t) => t.name);
  };

  beforeAll(() => {
    client = createClickHouseClient({ kind: 'embedded', path: join(root, 'db') });
  });

  afterAll(async () => {
    await client.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("applies the store's own migrations and each owner's once, in order, and is safe to run again", async () => {
    const widgets = folder('widgets', {
      '0002_widget_sizes.sql':
        'CREATE TABLE IF NOT EXISTS widget_sizes (w UInt8) ENGINE = MergeTree ORDER BY w;',
      '0001_widgets.sql': 'CREATE TABLE IF NOT EXISTS widgets (id UInt8) ENGINE = MergeTree ORDER BY id;',
    });
    const migrations = await readAllMigrations([STORE_MIGRATIONS, widgets]);
    expect(migrations.map((m) => m.key)).toEqual(['store/0001', 'widgets/0001', 'widgets/0002']);
    expect(await runMigrations(client, migrations)).toEqual([
      'store/0001_dead_letters.sql',
      'widgets/0001_widgets.sql',
      'widgets/0002_widget_sizes.sql',
    ]);
    expect(await runMigrations(client, migrations)).toEqual([]);
    expect(await tables()).toEqual(
      expect.arrayContaining(['schema_migrations', 'dead_letters', 'widgets', 'widget_sizes']),
    );
  });

  it('keeps a data directory migrated under the old flat numbering: nothing is applied again', async () => {
    const sql = 'CREATE TABLE legacy_things (id UInt8) ENGINE = MergeTree ORDER BY id;';
    // As the runner before per-owner folders recorded it: a bare version, the same file content.
    await client.command({ query: splitStatements(sql)[0] });
    const [moved] = await readMigrations(folder('legacy', { '0001_legacy_things.sql': sql }));
    await client.insert({
      table: 'schema_migrations',
      values: [{ version: '0007', name: '0007_legacy_things.sql', checksum: moved.checksum }],
      format: 'JSONEachRow',
    });
    // Without the adoption this would fail: the statement has no IF NOT EXISTS.
    expect(await runMigrations(client, [moved])).toEqual([]);
    expect(await runMigrations(client, [moved])).toEqual([]);
  });

  it('refuses to start when an applied migration file was edited', async () => {
    const [first] = await readMigrations(STORE_MIGRATIONS);
    await runMigrations(client, [first]);
    await expect(runMigrations(client, [{ ...first, checksum: 'edited' }])).rejects.toThrow(MigrationError);
  });

  it('refuses to turn a one-server database into a cluster one: the layouts would mix', async () => {
    const migrations = await readMigrations(STORE_MIGRATIONS);
    await runMigrations(client, migrations);
    await expect(runMigrations(client, migrations, { cluster: 'hub' })).rejects.toThrow(
      'CLICKHOUSE_CLUSTER=hub is set, but this database was created for one server',
    );
    expect(await tables()).not.toContain('dead_letters_local');
  });

  it('rejects a badly named migration file and two folders with one owner', async () => {
    await expect(readMigrations(folder('bad', { 'create-things.sql': 'SELECT 1;' }))).rejects.toThrow(
      'migration file name "bad/create-things.sql" must look like 0001_snake_case.sql',
    );
    const a = folder('twice', {});
    await expect(readAllMigrations([a, a])).rejects.toThrow('two migration folders claim the owner "twice"');
  });
});
