import type { ClickHouseClient } from '@clickhouse/client';
import { Inject, Injectable } from '@nestjs/common';
import type { PageRequest } from '@th/platform';
import { CLICKHOUSE, queryRows } from '@th/store';
import type { TraceEventType } from '../contract/trace-request.schema';

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

const HEADER_COLUMNS = `trace_id, pr_id, repo_name, branch, languages, title, status,
  toUnixTimestamp64Milli(pr_created_at) AS created_ms, toUnixTimestamp64Milli(pr_merged_at) AS merged_ms,
  developer_hash, ide_version, os,
  toUnixTimestamp64Milli(first_received_at) AS first_ms, toUnixTimestamp64Milli(last_received_at) AS last_ms`;

interface HeaderRow {
  trace_id: string;
  pr_id: string;
  repo_name: string;
  branch: string;
  languages: string[];
  title: string;
  status: string;
  created_ms: string | null;
  merged_ms: string | null;
  developer_hash: string;
  ide_version: string;
  os: string;
  first_ms: string;
  last_ms: string;
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

const iso = (ms: string | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

/** Reads of pr_traces and trace_events; FINAL everywhere, so a resend never changes an answer. */
@Injectable()
export class TraceRepository {
  constructor(@Inject(CLICKHOUSE) private readonly client: ClickHouseClient) {}

  async trace(traceId: string): Promise<TraceSummary | undefined> {
    const row = await this.headerRow(traceId);
    if (!row) return undefined;
    const counts = await this.eventCounts([traceId]);
    return summaryOf(row, counts.get(traceId) ?? 0);
  }

  /** The trace with its events (replay): the count comes from the events read anyway. */
  async traceWithEvents(
    traceId: string,
  ): Promise<{ summary: TraceSummary; events: StoredTraceEvent[] } | undefined> {
    const [row, events] = await Promise.all([this.headerRow(traceId), this.events(traceId)]);
    return row && { summary: summaryOf(row, events.length), events };
  }

  private async headerRow(traceId: string): Promise<HeaderRow | undefined> {
    const [row] = await queryRows<HeaderRow>(
      this.client,
      `SELECT ${HEADER_COLUMNS} FROM pr_traces FINAL WHERE trace_id = {trace:String}`,
      { trace: traceId },
    );
    return row;
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
      items: rows.map((row) => summaryOf(row, counts.get(row.trace_id) ?? 0)),
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

function summaryOf(row: HeaderRow, eventCount: number): TraceSummary {
  return {
    traceId: row.trace_id,
    prId: row.pr_id,
    repoName: row.repo_name,
    branch: row.branch,
    languages: row.languages,
    title: row.title,
    status: row.status,
    prCreatedAt: iso(row.created_ms),
    prMergedAt: iso(row.merged_ms),
    developerHash: row.developer_hash,
    ideVersion: row.ide_version,
    os: row.os,
    firstReceivedAt: iso(row.first_ms)!,
    lastReceivedAt: iso(row.last_ms)!,
    eventCount,
  };
}
