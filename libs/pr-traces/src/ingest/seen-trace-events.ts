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

/**
 * Embedded mode: the store is beside the gateway and this process is its only writer (a publish
 * returns once stored). A trace's stored ids are read once, when a request first touches it, and
 * then kept up to date in memory, so the requests that follow ask the store nothing.
 */
@Injectable()
export class StoredTraceEvents implements SeenTraceEvents {
  private readonly recent = new RecentTraceEvents();

  constructor(@Inject(CLICKHOUSE) private readonly client: ClickHouseClient) {}

  async seen(traceId: string, eventIds: readonly string[]): Promise<Set<string>> {
    if (!this.recent.has(traceId)) {
      const rows = await queryRows<{ event_id: string }>(
        this.client,
        'SELECT event_id FROM trace_events WHERE trace_id = {trace:String}',
        { trace: traceId },
      );
      this.recent.remember(
        traceId,
        rows.map((row) => row.event_id),
      );
    }
    return this.recent.seen(traceId, eventIds);
  }

  remember(traceId: string, eventIds: readonly string[]): void {
    this.recent.remember(traceId, eventIds);
  }
}

/**
 * Distributed mode: a gateway has Kafka only, so it remembers the ids it published itself, for
 * the most recent traces (bounded). A resend through the same gateway is answered exactly; one that
 * reaches another replica is answered as accepted and still stored once (the projection decides).
 */
@Injectable()
export class RecentTraceEvents implements SeenTraceEvents {
  /** About 150 bytes each: at most some 30 MiB. */
  static readonly MAX_IDS = 200_000;
  /** Insertion-ordered: the least recently used trace is first. */
  private readonly byTrace = new Map<string, Set<string>>();
  private size = 0;

  /** Whether the trace's ids are held (a trace evicted for space is not). */
  has(traceId: string): boolean {
    return this.byTrace.has(traceId);
  }

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
