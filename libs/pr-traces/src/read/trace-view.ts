import type { StoredTraceEvent, TraceSummary } from './trace.repository';
import { type TraceAnalytics, traceAnalytics } from './trace-analytics';

/**
 * `GET /traces/:id`: the PR trace in the shape of the old service's plan (repo, pr, developer,
 * timeline, events), the developer as its keyed hash, events in server order, each with the seq
 * the server gave it and the one the client sent.
 */
export function traceDocument(summary: TraceSummary, events: readonly StoredTraceEvent[]) {
  const analytics: TraceAnalytics = traceAnalytics(events, {
    createdAt: summary.prCreatedAt,
    mergedAt: summary.prMergedAt,
  });
  return {
    trace_id: summary.traceId,
    repo: { name: summary.repoName, branch: summary.branch, language: summary.languages },
    pr: {
      pr_id: summary.prId,
      title: summary.title || null,
      status: summary.status,
      created_at: summary.prCreatedAt,
      merged_at: summary.prMergedAt,
    },
    developer: {
      user_hash: summary.developerHash || null,
      ide_version: summary.ideVersion || null,
      os: summary.os || null,
    },
    timeline: {
      first_event_at: analytics.firstEventAt,
      last_event_at: analytics.lastEventAt,
      duration_ms: analytics.durationMs,
      event_count: analytics.eventCount,
    },
    events: events.map((event) => ({
      event_id: event.eventId,
      seq: event.serverSeq,
      client_seq: event.clientSeq,
      ts: event.ts,
      type: event.type,
      payload: event.payload,
      redactions: event.redactions,
    })),
  };
}

/** One line of `GET /traces/:id/events.ndjson`: the old `raw/<trace_id>.ndjson` fields, plus ids. */
export function archiveLine(traceId: string, event: StoredTraceEvent): string {
  return `${JSON.stringify({
    trace_id: traceId,
    seq: event.clientSeq,
    ts: event.ts,
    type: event.type,
    payload: event.payload,
    event_id: event.eventId,
    server_seq: event.serverSeq,
  })}\n`;
}
