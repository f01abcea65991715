import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { ClusterSchema } from './cluster-schema';
import { MigrationError } from './migration-errors';

export { MigrationError };

/** The store's own migrations (tables of the shared machinery, such as the dead letters). */
export const STORE_MIGRATIONS = { owner: 'store', dir: join(__dirname, '..', 'migrations') } as const;

/** A folder of `NNNN_name.sql` files owned by the store or by one domain. */
export interface MigrationSource {
  readonly owner: string;
  readonly dir: string;
}

const MIGRATION_FILE = /^(\d{4})_[a-z0-9_]+\.sql$/;

export interface Migration {
  /** `<owner>/<NNNN>`: what `schema_migrations.version` records. */
  key: string;
  name: string;
  checksum: string;
  statements: string[];
}

export const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS schema_migrations
(
    version String,
    name String,
    checksum String,
    applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(applied_at)
ORDER BY version`;

/** Reads one owner's `NNNN_name.sql` files in order; statements end with a line ending in `;`. */
export async function readMigrations(source: MigrationSource): Promise<Migration[]> {
  const files = (await readdir(source.dir)).filter((file) => file.endsWith('.sql')).sort();
  return Promise.all(
    files.map(async (file) => {
      const match = MIGRATION_FILE.exec(file);
      if (!match) {
        throw new MigrationError(
          `migration file name "${source.owner}/${file}" must look like 0001_snake_case.sql`,
        );
      }
      const sql = await readFile(join(source.dir, file), 'utf8');
      return {
        key: `${source.owner}/${match[1]}`,
        name: `${source.owner}/${file}`,
        checksum: createHash('sha256').update(sql).digest('hex'),
        statements: splitStatements(sql),
      };
    }),
  );
}

/** Every source's migrations, in the order given (the store's first, then each domain's). */
export async function readAllMigrations(sources: readonly MigrationSource[]): Promise<Migration[]> {
  const owners = new Set<string>();
  for (const { owner } of sources) {
    if (owners.has(owner)) throw new MigrationError(`two migration folders claim the owner "${owner}"`);
    owners.add(owner);
  }
  return (await Promise.all(sources.map(readMigrations))).flat();
}

export function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((statement) =>
      statement
        .split('\n')
        .filter((line) => !line.trim().startsWith('--'))
        .join('\n')
        .trim(),
    )
    .filter(Boolean);
}

/** Where the schema lives: one server (and chDB), or a named cluster of shards and replicas. */
export interface SchemaLayout {
  /** `CLICKHOUSE_CLUSTER`: unset for one server. */
  cluster?: string;
}

/** On a cluster, an insert answers once every shard has its rows, not when queued on the initiator. */
export const CLUSTER_INSERT_SETTINGS = { insert_distributed_sync: 1 } as const;

/**
 * The statements each migration runs on `layout`: as written for one server, translated by
 * {@link ClusterSchema} for a cluster. All migrations are translated, applied or not, because a
 * later one refers to the tables of earlier ones.
 */
export function migrationsFor(migrations: Migration[], layout: SchemaLayout): Migration[] {
  if (layout.cluster === undefined) return migrations;
  const schema = new ClusterSchema(layout.cluster);
  return migrations.map((migration) => ({
    ...migration,
    statements: migration.statements.flatMap((statement) => schema.translate(statement)),
  }));
}

/** The statements that create `schema_migrations` on `layout`. */
export function migrationsTableFor(layout: SchemaLayout): string[] {
  return layout.cluster === undefined
    ? [CREATE_MIGRATIONS_TABLE]
    : new ClusterSchema(layout.cluster).translate(CREATE_MIGRATIONS_TABLE);
}

/**
 * Applies the migrations not yet recorded in `schema_migrations`, in order. Statements are written
 * to be idempotent (IF NOT EXISTS), so a run interrupted between a statement and its record, or two
 * replicas starting at once, converge. An applied file whose content changed stops start-up. The
 * checksum is the file's, whatever the layout: a database is created for one layout and stays so.
 *
 * Data directories created before migrations moved into their domains recorded flat versions
 * (`0001`..`0005`). A migration whose exact content was recorded that way counts as applied and is
 * recorded again under its owner's key, so those directories keep working unchanged.
 */
export async function runMigrations(
  client: ClickHouseClient,
  migrations: Migration[],
  layout: SchemaLayout = {},
): Promise<string[]> {
  await refuseOtherLayout(client, layout);
  const settings = layout.cluster === undefined ? {} : CLUSTER_INSERT_SETTINGS;
  const run = (query: string) =>
    // A backfill may take longer than a read is allowed to.
    client.command({ query, clickhouse_settings: { max_execution_time: 0, ...settings } });
  for (const statement of migrationsTableFor(layout)) await run(statement);
  const applied = await appliedMigrations(client);
  const legacyChecksums = new Set(
    [...applied].filter(([version]) => !version.includes('/')).map(([, checksum]) => checksum),
  );
  const newlyApplied: string[] = [];
  for (const migration of migrationsFor(migrations, layout)) {
    const recorded = applied.get(migration.key);
    if (recorded !== undefined) {
      if (recorded !== migration.checksum) {
        throw new MigrationError(
          `migration ${migration.name} was changed after it was applied; add a new migration instead`,
        );
      }
      continue;
    }
    if (!legacyChecksums.has(migration.checksum)) {
      for (const statement of migration.statements) await run(statement);
      newlyApplied.push(migration.name);
    }
    await client.insert({
      table: 'schema_migrations',
      values: [{ version: migration.key, name: migration.name, checksum: migration.checksum }],
      format: 'JSONEachRow',
      clickhouse_settings: settings,
    });
  }
  return newlyApplied;
}

/**
 * A database holds one layout: plain tables, or local tables behind Distributed ones. Setting or
 * unsetting CLICKHOUSE_CLUSTER on an existing database would mix both, so start-up stops instead.
 */
async function refuseOtherLayout(client: ClickHouseClient, layout: SchemaLayout): Promise<void> {
  const result = await client.query({
    query:
      "SELECT engine FROM system.tables WHERE database = currentDatabase() AND name = 'schema_migrations'",
    format: 'JSONEachRow',
  });
  const [existing] = await result.json<{ engine: string }>();
  if (!existing) return;
  const distributed = existing.engine === 'Distributed';
  if (distributed && layout.cluster === undefined) {
    throw new MigrationError(
      'this database was created for a ClickHouse cluster (its tables are Distributed): set CLICKHOUSE_CLUSTER to its cluster name',
    );
  }
  if (!distributed && layout.cluster !== undefined) {
    throw new MigrationError(
      `CLICKHOUSE_CLUSTER=${layout.cluster} is set, but this database was created for one server; ` +
        'use a new CLICKHOUSE_DATABASE and replay the log into it (deploy/README.md, "ClickHouse on a cluster")',
    );
  }
}

async function appliedMigrations(client: ClickHouseClient): Promise<Map<string, string>> {
  const result = await client.query({
    query: 'SELECT version, argMax(checksum, applied_at) AS checksum FROM schema_migrations GROUP BY version',
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ version: string; checksum: string }>();
  return new Map(rows.map((row) => [row.version, row.checksum]));
}
