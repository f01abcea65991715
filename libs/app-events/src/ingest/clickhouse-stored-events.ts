import type { ClickHouseClient } from '@clickhouse/client';
import { Inject, Injectable } from '@nestjs/common';
import { CLICKHOUSE, queryRows } from '@th/store';
import type { AppEvent } from '../contract/app-event-batch.schema';
import { type StoredEvents, eventFingerprint } from './stored-events';

/**
 * The stored event per id, whatever its day (the bloom filter index skips granules without it).
 * No FINAL, which would bypass that index: the first write per id is picked with argMax on the
 * first-wins version instead.
 */
const STORED = `SELECT event_id,
    toUnixTimestamp64Milli(argMax(ts, version)) AS millis, argMax(evt, version) AS evt,
    argMax(anon_hash, version) AS anon_hash, argMax(os, version) AS os, argMax(ext, version) AS ext,
    argMax(vscode, version) AS vscode, argMax(meta, version) AS meta
  FROM app_events
  WHERE event_id IN {ids:Array(String)}
  GROUP BY event_id`;

/** Ids per lookup query: query parameters travel in the URL of a ClickHouse server. */
const IDS_PER_QUERY = 5_000;

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

interface Waiting {
  ids: string[];
  resolve(found: Map<string, string>): void;
  reject(error: unknown): void;
}

/**
 * Stored events, read from app_events (embedded mode). One lookup runs at a time; requests that
 * arrive meanwhile are answered together by the next one, so concurrent requests share a query
 * instead of queueing one query each.
 */
@Injectable()
export class ClickHouseStoredEvents implements StoredEvents {
  private waiting: Waiting[] = [];
  private running = false;

  constructor(@Inject(CLICKHOUSE) private readonly client: ClickHouseClient) {}

  fingerprints(events: readonly AppEvent[]): Promise<Map<string, string>> {
    if (events.length === 0) return Promise.resolve(new Map<string, string>());
    return new Promise((resolve, reject) => {
      this.waiting.push({ ids: events.map((e) => e.eventId), resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting;
      this.waiting = [];
      try {
        const found = await this.lookUp([...new Set(batch.flatMap((w) => w.ids))]);
        for (const w of batch) w.resolve(found);
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    this.running = false;
  }

  private async lookUp(ids: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (let start = 0; start < ids.length; start += IDS_PER_QUERY) {
      const rows = await queryRows<StoredRow>(this.client, STORED, {
        ids: ids.slice(start, start + IDS_PER_QUERY),
      });
      for (const row of rows) found.set(row.event_id, fingerprintOf(row));
    }
    return found;
  }
}

function fingerprintOf(row: StoredRow): string {
  return eventFingerprint({
    eventId: row.event_id,
    ts: new Date(Number(row.millis)).toISOString(),
    evt: row.evt,
    anonHash: row.anon_hash,
    os: row.os,
    ext: row.ext,
    vscode: row.vscode,
    meta: row.meta,
    country: '',
    region: '',
    city: '',
  });
}
