import { MigrationError } from './migration-errors';
import { closingParen, splitTopLevel } from './sql-text';

/**
 * The migrations are written for one server. With `CLICKHOUSE_CLUSTER` set, each statement is
 * translated for a sharded, replicated cluster, so a domain writes its SQL once:
 *
 * - `CREATE TABLE t` becomes `t_local`, the same columns on the `Replicated` variant of the engine,
 *   on every node (`ON CLUSTER`), and `t`, a `Distributed` table in front of it. Every read and write
 *   of the app keeps naming `t`.
 * - The Distributed table shards by a hash of the table's sorting key, which is the key a
 *   ReplacingMergeTree deduplicates on: two versions of one row always land on the same shard, so
 *   `FINAL` (applied by each shard to its own rows) stays exact across the cluster.
 * - A materialized view fires on the local table of its source (once, on the replica that took the
 *   insert) and writes to the Distributed table of its target, so its rows are sharded by the
 *   target's own key and deduplicate there.
 * - `ALTER TABLE t` changes `t_local` on every node; column changes are repeated on `t` (a
 *   Distributed table must list the same columns), data-skipping indexes exist only locally.
 * - `INSERT ... SELECT` (a backfill) runs unchanged: it reads and writes through the Distributed
 *   tables, and the store's sessions insert synchronously (`insert_distributed_sync`).
 *
 * Anything else is refused with the statement named, rather than run on one node only.
 */

/** Where each replica keeps its part of a table in ZooKeeper/Keeper; `{shard}` and `{replica}` are server macros. */
export const REPLICA_PATH = "'/clickhouse/tables/{shard}/{database}/{table}', '{replica}'";

const LOCAL_SUFFIX = '_local';
const IDENTIFIER = '[A-Za-z_][A-Za-z0-9_]*';
const CREATE_TABLE = new RegExp(`^CREATE\\s+TABLE\\s+IF\\s+NOT\\s+EXISTS\\s+(${IDENTIFIER})\\s*\\(`, 'i');
const ENGINE = /^\s*ENGINE\s*=\s*([A-Za-z]*MergeTree)\b/i;
const MATERIALIZED_VIEW = new RegExp(
  `^CREATE\\s+MATERIALIZED\\s+VIEW\\s+IF\\s+NOT\\s+EXISTS\\s+(${IDENTIFIER})\\s+TO\\s+(${IDENTIFIER})\\s+AS\\s+([\\s\\S]+)$`,
  'i',
);
const ALTER_TABLE = new RegExp(`^ALTER\\s+TABLE\\s+(${IDENTIFIER})\\s+([\\s\\S]+)$`, 'i');
const INSERT_SELECT = new RegExp(`^INSERT\\s+INTO\\s+(${IDENTIFIER})\\b[\\s\\S]*\\bSELECT\\b`, 'i');
/** The ALTER actions that change a table's columns, which its Distributed table must mirror. */
const COLUMN_DEFINITION_ACTION = /^(ADD|DROP|MODIFY|RENAME|COMMENT)\s+COLUMN\b/i;
const CLAUSE_AFTER_ORDER_BY = /\s(PRIMARY\s+KEY|SAMPLE\s+BY|TTL|SETTINGS)\b/i;

/** A cluster name as `remote_servers` defines it, or a `{cluster}` macro. */
export const CLUSTER_NAME = /^[A-Za-z0-9_.{}-]+$/;

export class ClusterSchema {
  /** Every table the migrations created so far: the names a view or an ALTER may refer to. */
  private readonly tables = new Set<string>();
  private readonly onCluster: string;

  constructor(private readonly cluster: string) {
    if (!CLUSTER_NAME.test(cluster)) {
      throw new MigrationError(`cluster name "${cluster}" may only hold letters, digits, _ . - { }`);
    }
    this.onCluster = `ON CLUSTER '${cluster}'`;
  }

  /** The statements that do on the cluster what `statement` does on one server. */
  translate(statement: string): string[] {
    const sql = statement.trim();
    if (CREATE_TABLE.test(sql)) return this.createTable(sql);
    const view = MATERIALIZED_VIEW.exec(sql);
    if (view) return [this.materializedView(view[1], view[2], view[3])];
    const alter = ALTER_TABLE.exec(sql);
    if (alter) return this.alterTable(alter[1], alter[2]);
    const insert = INSERT_SELECT.exec(sql);
    if (insert) {
      this.requireTable(insert[1], sql);
      return [sql];
    }
    throw refused(
      sql,
      'only CREATE TABLE, CREATE MATERIALIZED VIEW ... TO, ALTER TABLE and INSERT ... SELECT are translated',
    );
  }

  private createTable(sql: string): string[] {
    const [, name] = CREATE_TABLE.exec(sql) ?? [];
    const columnsOpen = sql.indexOf('(', sql.search(new RegExp(`\\b${name}\\b`)));
    const columnsClose = closingParen(sql, columnsOpen);
    const columns = sql.slice(columnsOpen, columnsClose + 1);
    const afterColumns = sql.slice(columnsClose + 1);
    const engine = ENGINE.exec(afterColumns);
    if (!engine) throw refused(sql, 'the table needs a MergeTree-family ENGINE');
    let rest = afterColumns.slice(engine[0].length);
    let engineArgs = '';
    if (rest.startsWith('(')) {
      const close = closingParen(rest, 0);
      engineArgs = rest.slice(1, close).trim();
      rest = rest.slice(close + 1);
    }
    const shardingKey = `cityHash64(${sortingKey(rest, sql).join(', ')})`;
    const local = `${name}${LOCAL_SUFFIX}`;
    const replicatedArgs = engineArgs ? `${REPLICA_PATH}, ${engineArgs}` : REPLICA_PATH;
    // Insert deduplication of a replicated table is configured by its own setting.
    const settings = rest.replace(
      /\bnon_replicated_deduplication_window\b/g,
      'replicated_deduplication_window',
    );
    this.tables.add(name);
    return [
      `CREATE TABLE IF NOT EXISTS ${local} ${this.onCluster}\n${columns}\n` +
        `ENGINE = Replicated${engine[1]}(${replicatedArgs})${settings}`,
      `CREATE TABLE IF NOT EXISTS ${name} ${this.onCluster} AS ${local}\n` +
        `ENGINE = Distributed('${this.cluster}', currentDatabase(), '${local}', ${shardingKey})`,
    ];
  }

  private materializedView(view: string, target: string, select: string): string {
    this.requireTable(target, select);
    const fromLocal = select.replace(
      new RegExp(`\\b(FROM|JOIN)(\\s+)(${IDENTIFIER})\\b`, 'gi'),
      (match, keyword: string, space: string, table: string) =>
        this.tables.has(table) ? `${keyword}${space}${table}${LOCAL_SUFFIX}` : match,
    );
    return `CREATE MATERIALIZED VIEW IF NOT EXISTS ${view} ${this.onCluster} TO ${target} AS ${fromLocal}`;
  }

  private alterTable(table: string, actions: string): string[] {
    this.requireTable(table, actions);
    const columnActions = splitTopLevel(actions).filter((action) => COLUMN_DEFINITION_ACTION.test(action));
    return [
      `ALTER TABLE ${table}${LOCAL_SUFFIX} ${this.onCluster} ${actions}`,
      ...(columnActions.length > 0
        ? [`ALTER TABLE ${table} ${this.onCluster} ${columnActions.join(',\n    ')}`]
        : []),
    ];
  }

  private requireTable(table: string, sql: string): void {
    if (!this.tables.has(table)) {
      throw refused(sql, `"${table}" is not a table created by an earlier migration`);
    }
  }
}

/** The sorting key's expressions: `ORDER BY (a, f(b))` gives `a` and `f(b)`. */
function sortingKey(clauses: string, sql: string): string[] {
  const orderBy = /\bORDER\s+BY\s*/i.exec(clauses);
  if (!orderBy)
    throw refused(sql, 'the table needs an ORDER BY (the key rows are sharded and deduplicated by)');
  const start = orderBy.index + orderBy[0].length;
  if (clauses[start] === '(') return splitTopLevel(clauses.slice(start + 1, closingParen(clauses, start)));
  const tail = clauses.slice(start);
  const end = tail.search(CLAUSE_AFTER_ORDER_BY);
  return [(end === -1 ? tail : tail.slice(0, end)).trim()];
}

function refused(sql: string, why: string): MigrationError {
  const head = sql.replace(/\s+/g, ' ').slice(0, 80);
  return new MigrationError(`CLICKHOUSE_CLUSTER cannot translate "${head}...": ${why}`);
}
