import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { createClickHouseClient } from './clickhouse-client.factory';
import { MigrationError, readMigrations, runMigrations, splitStatements } from './migration-runner';

describe('splitStatements', () => {
  it('splits on statement-ending semicolons and drops comment lines', () => {
    expect(splitStatements('-- note\nCREATE TABLE a (x UInt8) ENGINE = Memory;\n\nSELECT 1;\n')).toEqual([
      'CREATE TABLE a (x UInt8) ENGINE = Memory',
      'SELECT 1',
    ]);
  });
});

describe('runMigrations on chDB', () => {
  const dir = mkdtempSync(join(tmpdir(), 'th-migrations-'));
  let client: ClickHouseClient;

  beforeAll(() => {
    client = createClickHouseClient({ kind: 'embedded', path: join(dir, 'db') });
  });

  afterAll(async () => {
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies the shipped migrations once, in order, and is safe to run again', async () => {
    const migrations = await readMigrations();
    expect(migrations.map((m) => m.version)).toEqual([...migrations.map((m) => m.version)].sort());
    expect(await runMigrations(client, migrations)).toEqual(migrations.map((m) => m.name));
    expect(await runMigrations(client, migrations)).toEqual([]);
    const tables = await client.query({
      query: 'SELECT name FROM system.tables WHERE database = currentDatabase()',
      format: 'JSONEachRow',
    });
    const names = (await tables.json<{ name: string }>()).map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining(['schema_migrations', 'developer_metrics', 'developer_telemetry_connections']),
    );
  });

  it('refuses to start when an applied migration file was edited', async () => {
    const [first] = await readMigrations();
    await expect(runMigrations(client, [{ ...first, checksum: 'edited' }])).rejects.toThrow(MigrationError);
  });

  it('rejects a badly named migration file', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'th-bad-migrations-'));
    writeFileSync(join(bad, 'create-things.sql'), 'SELECT 1;');
    await expect(readMigrations(bad)).rejects.toThrow('must look like 0001_snake_case.sql');
    rmSync(bad, { recursive: true, force: true });
  });
});
