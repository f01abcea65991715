import { Inject, Injectable } from '@nestjs/common';
import type { ClickHouseClient } from '@clickhouse/client';
import { histogram } from '@th/platform';
import { CLICKHOUSE } from './store.tokens';

export type Row = Record<string, unknown>;

const insertSeconds = histogram('store_insert_duration_seconds', 'ClickHouse insert latency per table', [
  'table',
] as const);

/** Rows per insert statement; larger batches are split so one insert stays bounded in memory. */
const MAX_ROWS_PER_INSERT = 50_000;

/**
 * Appends rows to a table. A deduplication token makes a retried insert of the same rows a no-op
 * on ClickHouse (with `non_replicated_deduplication_window` on the table), so a consumer can
 * retry after a crash without doubling anything. Failures are thrown, never returned as values.
 */
@Injectable()
export class RowWriter {
  constructor(@Inject(CLICKHOUSE) private readonly client: ClickHouseClient) {}

  async insert(table: string, rows: Row[], deduplicationToken?: string): Promise<void> {
    for (let start = 0, chunk = 0; start < rows.length; start += MAX_ROWS_PER_INSERT, chunk++) {
      const stop = insertSeconds.startTimer({ table });
      await this.client.insert({
        table,
        values: rows.slice(start, start + MAX_ROWS_PER_INSERT),
        format: 'JSONEachRow',
        clickhouse_settings: deduplicationToken
          ? { insert_deduplication_token: `${deduplicationToken}#${chunk}` }
          : undefined,
      });
      stop();
    }
  }
}
