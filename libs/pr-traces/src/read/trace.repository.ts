import type { ClickHouseClient } from '@clickhouse/client';
import { Inject, Injectable } from '@nestjs/common';
import type { PageRequest } from '@th/platform';
import { CLICKHOUSE, queryRows } from '@th/store';
import type { TraceEventType } from '../contract/trace-request.schema';
import {
  HEADER_COLUMNS,
  type HeaderRow,
  type StoredHeader,
  readHeaders,
  storedHeaderOf,
} from '../projection/stored-header';

import type { TraceEventView } from './trace-analytics';

/** A trace's header as stored (merged over its batches). */
export interface TraceSummary {
  traceId: string;
  prId: string;
  repoName: string;
  branch: string;
  languages: string[];
  title: string;
  status: string;
  prCreatedAt: string | null;
  prMergedAt: string | null;
  developerHash: string;
  ideVersion: string;
  os: string;
  firstReceivedAt: string;
  lastReceivedAt: string;
  eventCount: number;
}

/** One stored event, in server order. */
export interface StoredTraceEvent extends TraceEventView {
  eventId: string;
  redactions: number;
}

export interface TraceFilter {
  repo?: string;
  prId?: string;
  developer?: string;
  status?: string;
  /** ISO-8601: traces that received a batch at or after it. */
  from?: string;
  /** ISO-8601: traces first received before it. */
  to?: string;
}

interface EventRow {
  event_id: string;
  server_seq: number;
  client_seq: string | null;
  ts_ms: string;
  type: TraceEventType;
  payload: string;
  redactions: number;
}

/** Reads of pr_traces and trace_events; FINAL everywhere, so a resend never changes an answer. */
@Injectable()
export class TraceRepository {
  constructor(@Inject(CLICKHOUSE) private readonly client: ClickHouseClient) {}

  async trace(traceId: string): Promise<TraceSummary | undefined> {
    const [header] = await readHeaders(this.client, [traceId]);
    if (!header) return undefined;
    const counts = await this.eventCounts([traceId]);
    return summaryOf(header, counts.get(traceId) ?? 0);
  }

  /** The trace with its events (replay): the count comes from the events read anyway. */
  async traceWithEvents(
    traceId: string,
  ): Promise<{ summary: TraceSummary; events: StoredTraceEvent[] } | undefined> {
    const [[header], events] = await Promise.all([readHeaders(this.client, [traceId]), this.events(traceId)]);
    return header && { summary: summaryOf(header, events.length), events };
  }

  /** Every event of a trace, ordered by server seq. */
  async events(traceId: string): Promise<StoredTraceEvent[]> {
    const rows = await queryRows<EventRow>(
      this.client,
      `SELECT event_id, server_seq, client_seq, toUnixTimestamp64Milli(ts) AS ts_ms, type, payload, redactions
       FROM trace_events FINAL WHERE trace_id = {trace:String} ORDER BY server_seq`,
      { trace: traceId },
    );
    return rows.map((row) => ({
      eventId: row.event_id,
      serverSeq: Number(row.server_seq),
      clientSeq: row.client_seq === null ? null : Number(row.client_seq),
      ts: new Date(Number(row.ts_ms)).toISOString(),
      type: row.type,
      payload: JSON.parse(row.payload) as Record<string, unknown>,
      redactions: Number(row.redactions),
    }));
  }

  async list(filter: TraceFilter, page: PageRequest): Promise<{ items: TraceSummary[]; total: number }> {
    const conditions: string[] = [];
    if (filter.repo !== undefined) conditions.push('repo_name = {repo:String}');
    if (filter.prId !== undefined) conditions.push('pr_id = {prId:String}');
    if (filter.developer !== undefined) conditions.push('developer_hash = {developer:String}');
    if (filter.status !== undefined) conditions.push('status = {status:String}');
    if (filter.from !== undefined)
      conditions.push("last_received_at >= parseDateTime64BestEffort({from:String}, 3, 'UTC')");
    if (filter.to !== undefined)
      conditions.push("first_received_at < parseDateTime64BestEffort({to:String}, 3, 'UTC')");
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const params = { ...filter, limit: page.limit, offset: page.offset };
    const [rows, [total]] = await Promise.all([
      queryRows<HeaderRow>(
        this.client,
        `SELECT ${HEADER_COLUMNS} FROM pr_traces FINAL ${where}
         ORDER BY last_received_at DESC, trace_id LIMIT {limit:UInt32} OFFSET {offset:UInt32}`,
        params,
      ),
      queryRows<{ total: string }>(
        this.client,
        `SELECT count() AS total FROM pr_traces FINAL ${where}`,
        params,
      ),
    ]);
    const counts = await this.eventCounts(rows.map((r) => r.trace_id));
    return {
      items: rows.map((row) => summaryOf(storedHeaderOf(row), counts.get(row.trace_id) ?? 0)),
      total: Number(total?.total ?? 0),
    };
  }

  private async eventCounts(traceIds: string[]): Promise<Map<string, number>> {
    if (traceIds.length === 0) return new Map();
    // Each event id is stored once per trace (the projection never writes one twice); uniqExact
    // keeps the count exact even before merges of a redelivered copy.
    const rows = await queryRows<{ trace_id: string; events: string }>(
      this.client,
      `SELECT trace_id, uniqExact(event_id) AS events FROM trace_events
       WHERE trace_id IN {traces:Array(String)} GROUP BY trace_id`,
      { traces: traceIds },
    );
    return new Map(rows.map((r) => [r.trace_id, Number(r.events)]));
  }
}

function summaryOf(header: StoredHeader, eventCount: number): TraceSummary {
  return {
    traceId: header.traceId,
    prId: header.prId,
    repoName: header.repoName,
    branch: header.branch,
    languages: header.languages ?? [],
    title: header.title ?? '',
    status: header.status ?? 'open',
    prCreatedAt: header.prCreatedAt,
    prMergedAt: header.prMergedAt,
    developerHash: header.developerHash ?? '',
    ideVersion: header.ideVersion ?? '',
    os: header.os ?? '',
    firstReceivedAt: header.firstReceivedAt,
    lastReceivedAt: header.lastReceivedAt,
    eventCount,
  };
}
