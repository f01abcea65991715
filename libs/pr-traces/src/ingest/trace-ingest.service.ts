import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EVENT_BUS, type EventBus } from '@th/bus';
import type { Envelope } from '@th/contracts';
import { AnonHasher, DomainError, type FieldError, counter } from '@th/platform';
import { PR_TRACES_SETTINGS, type PrTracesConfig } from '../config';
import { TRACE_BATCH_KIND, type TraceBatchPayload, type TraceEvent } from '../contract/trace-batch.schema';
import { PerKeyQueue } from './per-key-queue';
import { SEEN_TRACE_EVENTS, type SeenTraceEvents } from './seen-trace-events';
import { type ParsedEvent, parseTraceBatch } from './trace-request';

export const TRACE_HASHER = Symbol('TRACE_HASHER');

const acceptedEvents = counter('pr_trace_events_accepted_total', 'PR trace events accepted as new');
const duplicateEvents = counter(
  'pr_trace_events_duplicate_total',
  'PR trace events already received (a resend), acknowledged and not stored again',
);
const rejectedEvents = counter('pr_trace_events_rejected_total', 'PR trace events refused for being invalid');
const redactedSecrets = counter('pr_trace_secrets_redacted_total', 'Secrets replaced in PR trace payloads');

/** The answer of `POST /ingest`, in the old service's field names. */
export interface TraceIngestAnswer {
  trace_id: string;
  accepted_event_ids: string[];
  duplicate_event_ids: string[];
  rejected: { index: number; errors: FieldError[] }[];
}

/** Every event of the batch is invalid: 400, each one listed. */
export class NoValidTraceEventError extends DomainError {
  readonly code = 'no_valid_events';
  readonly status = 400;
  constructor(traceId: string, rejected: TraceIngestAnswer['rejected']) {
    super(`none of the ${rejected.length} events is valid`);
    Object.assign(this.details, {
      trace_id: traceId,
      accepted_event_ids: [],
      duplicate_event_ids: [],
      rejected,
    });
  }
}

/**
 * `POST /ingest`: one PR trace batch. The header must be valid; each event is checked on its own.
 * Events already received (in an earlier batch or earlier in this one) are acknowledged as
 * duplicates and not published; the rest are published as one envelope keyed by the trace id, so
 * one consumer numbers a trace's events in order. Batches of one trace are decided one at a time.
 */
@Injectable()
export class TraceIngestService {
  private readonly queue = new PerKeyQueue();

  constructor(
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(TRACE_HASHER) private readonly hasher: AnonHasher,
    @Inject(SEEN_TRACE_EVENTS) private readonly seen: SeenTraceEvents,
    @Inject(PR_TRACES_SETTINGS) private readonly config: PrTracesConfig,
  ) {}

  async ingest(body: unknown): Promise<TraceIngestAnswer> {
    const now = Date.now();
    const batch = parseTraceBatch(body, this.config, this.hasher, now);
    rejectedEvents.inc(batch.rejected.length);
    if (batch.events.length === 0 && batch.rejected.length > 0) {
      throw new NoValidTraceEventError(batch.traceId, batch.rejected);
    }
    return this.queue.run(batch.traceId, async () => {
      const { unique, repeats } = firstOfEach(batch.events);
      const known = await this.seen.seen(
        batch.traceId,
        unique.map((e) => e.event.eventId),
      );
      const fresh = unique.filter((e) => !known.has(e.event.eventId));
      const events = serverOrder(fresh).map((e) => e.event);
      await this.bus.publish([envelope(batch.traceId, batch.header, events, now)]);
      this.seen.remember(
        batch.traceId,
        events.map((e) => e.eventId),
      );
      const duplicates = [
        ...new Set(
          [...unique.filter((e) => known.has(e.event.eventId)), ...repeats].map((e) => e.event.eventId),
        ),
      ];
      acceptedEvents.inc(fresh.length);
      duplicateEvents.inc(batch.events.length - fresh.length);
      redactedSecrets.inc(events.reduce((sum, e) => sum + e.redactions, 0));
      return {
        trace_id: batch.traceId,
        accepted_event_ids: fresh.map((e) => e.event.eventId),
        duplicate_event_ids: duplicates,
        rejected: batch.rejected,
      };
    });
  }
}

/** The first event of each id, and the later copies (identical events in one batch count once). */
function firstOfEach(events: readonly ParsedEvent[]): { unique: ParsedEvent[]; repeats: ParsedEvent[] } {
  const ids = new Set<string>();
  const unique: ParsedEvent[] = [];
  const repeats: ParsedEvent[] = [];
  for (const parsed of events) {
    if (ids.has(parsed.event.eventId)) repeats.push(parsed);
    else {
      ids.add(parsed.event.eventId);
      unique.push(parsed);
    }
  }
  return { unique, repeats };
}

/** The order the server numbers a batch's new events in: client seq, then ts, then position. */
function serverOrder(events: readonly ParsedEvent[]): ParsedEvent[] {
  const seqOf = (e: ParsedEvent) => e.event.clientSeq ?? Number.MAX_SAFE_INTEGER;
  return [...events].sort(
    (a, b) =>
      seqOf(a) - seqOf(b) ||
      (a.event.ts < b.event.ts ? -1 : a.event.ts > b.event.ts ? 1 : 0) ||
      a.index - b.index,
  );
}

function envelope(
  traceId: string,
  header: TraceBatchPayload['header'],
  events: TraceEvent[],
  now: number,
): Envelope<TraceBatchPayload> {
  const digest = createHash('sha256').update(traceId).update(JSON.stringify(header));
  for (const event of events) digest.update(event.eventId);
  return {
    id: `trace/${digest.digest('hex')}`,
    kind: TRACE_BATCH_KIND,
    source: 'pr-trace',
    // One partition per trace: one consumer numbers its events, in the order they arrived.
    key: traceId,
    receivedAt: new Date(now).toISOString(),
    schemaVersion: 1,
    payload: { traceId, header, events },
  };
}
