import type { ClickHouseClient } from '@clickhouse/client';
import { Inject, Injectable } from '@nestjs/common';
import { CLICKHOUSE, queryRows } from '@th/store';

/**
 * Which of a trace's event ids the hub already has, so a resend is answered as a duplicate. The
 * projection decides what is stored whatever this says; this only makes the answer exact.
 */
export interface SeenTraceEvents {
  seen(traceId: string, eventIds: readonly string[]): Promise<Set<string>>;
  /** Called once the events are durable. */
  remember(traceId: string, eventIds: readonly string[]): void;
}

export const SEEN_TRACE_EVENTS = Symbol('SEEN_TRACE_EVENTS');

/** Ids per lookup: query parameters travel in the URL of a ClickHouse server. */
const IDS_PER_QUERY = 2_000;

/** Embedded mode: the store is beside the gateway and a publish returns once stored, so it knows. */
@Injectable()
export class StoredTraceEvents implements SeenTraceEvents {
  constructor(@Inject(CLICKHOUSE) private readonly client: ClickHouseClient) {}

  async seen(traceId: string, eventIds: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let start = 0; start < eventIds.length; start += IDS_PER_QUERY) {
      const rows = await queryRows<{ event_id: string }>(
        this.client,
        `SELECT event_id FROM trace_events
         WHERE trace_id = {trace:String} AND event_id IN {ids:Array(String)}`,
        { trace: traceId, ids: eventIds.slice(start, start + IDS_PER_QUERY) },
      );
      for (const row of rows) found.add(row.event_id);
    }
    return found;
  }

  remember(): void {
    // The store itself remembers.
  }
}

/**
 * Distributed mode: a gateway has Kafka only, so it remembers the ids it published itself, for
 * the most recent traces (bounded). A resend through the same gateway is answered exactly; one that
 * reaches another replica is answered as accepted and still stored once (the projection decides).
 */
@Injectable()
export class RecentTraceEvents implements SeenTraceEvents {
  static readonly MAX_IDS = 1_000_000;
  /** Insertion-ordered: the least recently used trace is first. */
  private readonly byTrace = new Map<string, Set<string>>();
  private size = 0;

  seen(traceId: string, eventIds: readonly string[]): Promise<Set<string>> {
    const known = this.byTrace.get(traceId);
    return Promise.resolve(new Set(known ? eventIds.filter((id) => known.has(id)) : []));
  }

  remember(traceId: string, eventIds: readonly string[]): void {
    const known = this.byTrace.get(traceId) ?? new Set<string>();
    this.byTrace.delete(traceId);
    this.byTrace.set(traceId, known);
    for (const id of eventIds) {
      if (known.has(id)) continue;
      known.add(id);
      this.size++;
    }
    for (const [oldest, ids] of this.byTrace) {
      if (this.size <= RecentTraceEvents.MAX_IDS || oldest === traceId) break;
      this.byTrace.delete(oldest);
      this.size -= ids.size;
    }
  }
}
