import { Inject, Injectable } from '@nestjs/common';
import { histogram, mapSliced } from '@th/platform';
import type { Store } from './clickhouse-client.factory';
import { insertBlocks } from './insert-blocks';
import { STORE } from './store.tokens';

export type Row = Record<string, unknown>;

const insertSeconds = histogram('store_insert_duration_seconds', 'ClickHouse insert latency per table', [
  'table',
] as const);

/**
 * Appends rows to a table as JSONCompactEachRow (the columns are the first row's keys: rows of one
 * table come from one projection). A deduplication token makes a retried insert of the same rows
 * a no-op on ClickHouse (with `non_replicated_deduplication_window` on the table), so a consumer
 * can retry after a crash without doubling anything. With each row's partition (as the table's
 * PARTITION BY computes it), rows are cut into blocks of at most 100 partitions, the most one
 * ClickHouse insert takes. Failures are thrown, never returned as values.
 */
@Injectable()
export class RowWriter {
  constructor(@Inject(STORE) private readonly store: Store) {}

  async insert(
    table: string,
    rows: Row[],
    deduplicationToken?: string,
    partitions?: readonly string[],
  ): Promise<void> {
    if (rows.length === 0) return;
    const columns = Object.keys(rows[0]);
    const blocks = insertBlocks(rows, partitions);
    for (const [chunk, block] of blocks.entries()) {
      const lines = await mapSliced(block, (row) => JSON.stringify(columns.map((c) => row[c])));
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
