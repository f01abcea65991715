import type { ClickHouseClient } from '@clickhouse/client';
import { Inject, Injectable } from '@nestjs/common';
import { CLICKHOUSE, queryRows } from '@th/store';
import type { AppEvent } from '../contract/app-event-batch.schema';
import { type StoredEvents, eventFingerprint } from './stored-events';

// The key (day, id) is the table's ORDER BY prefix: the lookup reads a few granules, not the table.
const STORED = `SELECT event_id, toUnixTimestamp64Milli(ts) AS millis, evt, anon_hash, os, ext, vscode, meta
  FROM app_events FINAL
  WHERE toDate(ts) IN {days:Array(Date)} AND event_id IN {ids:Array(String)}`;

interface StoredRow {
  event_id: string;
  millis: string;
  evt: string;
  anon_hash: string;
  os: string;
  ext: string;
  vscode: string;
  meta: string;
}

/** Stored events, read from app_events (embedded mode, or any process with the store). */
@Injectable()
export class ClickHouseStoredEvents implements StoredEvents {
  constructor(@Inject(CLICKHOUSE) private readonly client: ClickHouseClient) {}

  async fingerprints(events: readonly AppEvent[]): Promise<Map<string, string>> {
    if (events.length === 0) return new Map();
    const days = [...new Set(events.map((e) => e.ts.slice(0, 10)))];
    const ids = events.map((e) => e.eventId);
    const rows = await queryRows<StoredRow>(this.client, STORED, { days, ids });
    const wanted = new Set(events.map((e) => `${e.ts.slice(0, 10)}/${e.eventId}`));
    const found = new Map<string, string>();
    for (const row of rows) {
      const ts = new Date(Number(row.millis)).toISOString();
      if (!wanted.has(`${ts.slice(0, 10)}/${row.event_id}`)) continue;
      found.set(
        row.event_id,
        eventFingerprint({
          eventId: row.event_id,
          ts,
          evt: row.evt,
          anonHash: row.anon_hash,
          os: row.os,
          ext: row.ext,
          vscode: row.vscode,
          meta: row.meta,
          country: '',
          region: '',
          city: '',
        }),
      );
    }
    return found;
  }
}
