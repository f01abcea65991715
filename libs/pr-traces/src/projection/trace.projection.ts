import type { ClickHouseClient } from '@clickhouse/client';
import { Inject, Injectable } from '@nestjs/common';
import type { Envelope } from '@th/contracts';
import { compileSchema } from '@th/platform';
import { type Projection, type TableRow, firstWinsVersion } from '@th/projection';
import { CLICKHOUSE, queryRows } from '@th/store';
import {
  TRACE_BATCH_KIND,
  type TraceBatchPayload,
  TraceBatchPayloadSchema,
  type TraceHeader,
} from '../contract/trace-batch.schema';
import { type StoredHeader, headerTableRow, readHeaders } from './stored-header';

/** What the store holds for one trace, as far as a batch needs it. */
export interface TraceState {
  lastSeq: number;
  /** The batch's event ids that are already stored (then added to as the batch is projected). */
  known: Set<string>;
  header: StoredHeader | undefined;
}

/** Rows per query parameter list: query parameters travel in the URL of a ClickHouse server. */
const IDS_PER_QUERY = 2_000;

/**
 * A trace batch becomes one `pr_traces` row (the merged header) and one `trace_events` row per
 * event not stored before, numbered after the trace's last stored event. The trace id is the
 * partition key, so one consumer at a time numbers a trace; what is stored is read again for every
 * batch (and every retry), so a redelivery after a crash finds its events stored and numbers
 * nothing twice.
 */
@Injectable()
export class TraceProjection implements Projection<TraceBatchPayload, Map<string, TraceState>> {
  readonly kind = TRACE_BATCH_KIND;
  readonly validatePayload = compileSchema(TraceBatchPayloadSchema);

  constructor(@Inject(CLICKHOUSE) private readonly client: ClickHouseClient) {}

  async prepare(envelopes: readonly Envelope<TraceBatchPayload>[]): Promise<Map<string, TraceState>> {
    const traces = [...new Set(envelopes.map((e) => e.payload.traceId))];
    const ids = [...new Set(envelopes.flatMap((e) => e.payload.events.map((event) => event.eventId)))];
    const state = new Map<string, TraceState>(
      traces.map((trace) => [trace, { lastSeq: 0, known: new Set<string>(), header: undefined }]),
    );
    // Independent reads: on a server they run side by side.
    await Promise.all(
      chunks(traces).flatMap((group) => [
        queryRows<{ trace_id: string; last: number }>(
          this.client,
          `SELECT trace_id, max(server_seq) AS last FROM trace_events
           WHERE trace_id IN {traces:Array(String)} GROUP BY trace_id`,
          { traces: group },
        ).then((rows) => {
          for (const row of rows) state.get(row.trace_id)!.lastSeq = Number(row.last);
        }),
        readHeaders(this.client, group).then((headers) => {
          for (const header of headers) state.get(header.traceId)!.header = header;
        }),
        ...chunks(ids).map((idGroup) =>
          queryRows<{ trace_id: string; event_id: string }>(
            this.client,
            `SELECT trace_id, event_id FROM trace_events
             WHERE trace_id IN {traces:Array(String)} AND event_id IN {ids:Array(String)}`,
            { traces: group, ids: idGroup },
          ).then((rows) => {
            for (const row of rows) state.get(row.trace_id)!.known.add(row.event_id);
          }),
        ),
      ]),
    );
    return state;
  }

  project(envelope: Envelope<TraceBatchPayload>, states: Map<string, TraceState>): TableRow[] {
    const { traceId, header, events } = envelope.payload;
    const state = states.get(traceId)!;
    const rows: TableRow[] = [];
    const version = firstWinsVersion(envelope.receivedAt, envelope.id);
    for (const event of events) {
      if (state.known.has(event.eventId)) continue;
      state.known.add(event.eventId);
      rows.push({
        table: 'trace_events',
        row: {
          trace_id: traceId,
          event_id: event.eventId,
          server_seq: ++state.lastSeq,
          client_seq: event.clientSeq,
          ts: event.ts,
          type: event.type,
          payload: event.payload,
          redactions: event.redactions,
          received_at: envelope.receivedAt,
          version,
        },
      });
    }
    const merged = mergeHeader(traceId, state.header, header, envelope.receivedAt);
    state.header = merged;
    rows.push({ table: 'pr_traces', row: headerTableRow(merged) });
    return rows;
  }
}

/** A batch's fields win; what it did not send (null) keeps the stored value. */
function mergeHeader(
  traceId: string,
  stored: StoredHeader | undefined,
  sent: TraceHeader,
  receivedAt: string,
): StoredHeader {
  type Optional =
    'languages' | 'title' | 'status' | 'prCreatedAt' | 'prMergedAt' | 'developerHash' | 'ideVersion' | 'os';
  const pick = <K extends Optional>(key: K): TraceHeader[K] => sent[key] ?? stored?.[key] ?? null;
  return {
    traceId,
    prId: sent.prId,
    repoName: sent.repoName,
    branch: sent.branch,
    languages: pick('languages'),
    title: pick('title'),
    status: pick('status'),
    prCreatedAt: pick('prCreatedAt'),
    prMergedAt: pick('prMergedAt'),
    developerHash: pick('developerHash'),
    ideVersion: pick('ideVersion'),
    os: pick('os'),
    firstReceivedAt: stored?.firstReceivedAt ?? receivedAt,
    lastReceivedAt: receivedAt,
    // Log order decides: each batch's header is one version above what it merged into.
    version: (stored?.version ?? 0) + 1,
  };
}

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += IDS_PER_QUERY)
    out.push(items.slice(start, start + IDS_PER_QUERY));
  return out;
}
