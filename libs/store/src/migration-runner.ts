import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';

/** The versioned SQL files shipped with the store, applied in file-name order. */
export const MIGRATIONS_DIR = join(__dirname, '..', 'migrations');

const MIGRATION_FILE = /^(\d{4})_[a-z0-9_]+\.sql$/;

export interface Migration {
  version: string;
  name: string;
  checksum: string;
  statements: string[];
}

export class MigrationError extends Error {}

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS schema_migrations
(
    version String,
    name String,
    checksum String,
    applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(applied_at)
ORDER BY version`;

/** Reads `NNNN_name.sql` files; statements are separated by a line ending in `;`. */
export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.sql')).sort();
  return Promise.all(
    files.map(async (file) => {
      const match = MIGRATION_FILE.exec(file);
      if (!match)
        throw new MigrationError(`migration file name "${file}" must look like 0001_snake_case.sql`);
      const sql = await readFile(join(dir, file), 'utf8');
      return {
        version: match[1],
        name: file,
        checksum: createHash('sha256').update(sql).digest('hex'),
        statements: splitStatements(sql),
      };
    }),
  );
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

/**
 * Applies the migrations not yet recorded in `schema_migrations`, in order. Statements are written
 * to be idempotent (IF NOT EXISTS), so a run interrupted between a statement and its record, or two
 * replicas starting at once, converge. An applied file whose content changed stops start-up.
 */
export async function runMigrations(client: ClickHouseClient, migrations: Migration[]): Promise<string[]> {
  await client.command({ query: CREATE_MIGRATIONS_TABLE });
  const applied = await appliedMigrations(client);
  const newlyApplied: string[] = [];
  for (const migration of migrations) {
    const recorded = applied.get(migration.version);
    if (recorded !== undefined) {
      if (recorded !== migration.checksum) {
        throw new MigrationError(
          `migration ${migration.name} was changed after it was applied; add a new migration instead`,
        );
      }
      continue;
    }
    for (const statement of migration.statements) await client.command({ query: statement });
    await client.insert({
      table: 'schema_migrations',
      values: [{ version: migration.version, name: migration.name, checksum: migration.checksum }],
      format: 'JSONEachRow',
    });
    newlyApplied.push(migration.name);
  }
  return newlyApplied;
}

async function appliedMigrations(client: ClickHouseClient): Promise<Map<string, string>> {
  const result = await client.query({
    query: 'SELECT version, argMax(checksum, applied_at) AS checksum FROM schema_migrations GROUP BY version',
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ version: string; checksum: string }>();
  return new Map(rows.map((row) => [row.version, row.checksum]));
}
