import { Inject, Injectable } from '@nestjs/common';
import { histogram } from '@th/platform';
import type { Store } from './clickhouse-client.factory';
import { STORE } from './store.tokens';

export type Row = Record<string, unknown>;

const insertSeconds = histogram('store_insert_duration_seconds', 'ClickHouse insert latency per table', [
  'table',
] as const);

/** Rows per insert statement; larger batches are split so one insert stays bounded in memory. */
const MAX_ROWS_PER_INSERT = 100_000;

/**
 * Appends rows to a table as JSONCompactEachRow (the columns are the first row's keys: rows of one
 * table come from one projection). A deduplication token makes a retried insert of the same rows
 * a no-op on ClickHouse (with `non_replicated_deduplication_window` on the table), so a consumer
 * can retry after a crash without doubling anything. Failures are thrown, never returned as values.
 */
@Injectable()
export class RowWriter {
  constructor(@Inject(STORE) private readonly store: Store) {}

  async insert(table: string, rows: Row[], deduplicationToken?: string): Promise<void> {
    if (rows.length === 0) return;
    const columns = Object.keys(rows[0]);
    for (let start = 0, chunk = 0; start < rows.length; start += MAX_ROWS_PER_INSERT, chunk++) {
      const lines = rows
        .slice(start, start + MAX_ROWS_PER_INSERT)
        .map((row) => JSON.stringify(columns.map((c) => row[c])));
      const stop = insertSeconds.startTimer({ table });
      await this.store.rawInsert({
        table,
        columns,
        values: Buffer.from(`${lines.join('\n')}\n`),
        deduplicationToken: deduplicationToken ? `${deduplicationToken}#${chunk}` : undefined,
      });
      stop();
    }
  }
}
