import { type Static, Type } from '@sinclair/typebox';
import { PR_STATUSES, TRACE_EVENT_TYPES } from './trace-request.schema';

/** The envelope kind of one accepted `POST /ingest` batch; it travels on the traces topic, keyed by trace id. */
export const TRACE_BATCH_KIND = 'pr-trace-batch';

const optionalText = (maxLength: number) => Type.Union([Type.String({ maxLength }), Type.Null()]);
const isoTime = Type.String({ minLength: 20, maxLength: 30 });

/**
 * A trace's header as one batch gives it: `null` where the batch said nothing, so a later batch
 * in the other shape (the flat one has no title or developer) never blanks what an earlier one set.
 */
export const TraceHeaderSchema = Type.Object({
  prId: Type.String({ minLength: 1, maxLength: 256 }),
  repoName: Type.String({ minLength: 1, maxLength: 255 }),
  branch: Type.String({ minLength: 1, maxLength: 255 }),
  languages: Type.Union([Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50 }), Type.Null()]),
  title: optionalText(1024),
  status: Type.Union([Type.Union(PR_STATUSES.map((s) => Type.Literal(s))), Type.Null()]),
  prCreatedAt: Type.Union([isoTime, Type.Null()]),
  prMergedAt: Type.Union([isoTime, Type.Null()]),
  /** Keyed hash of developer.user_id (the id itself is never published). */
  developerHash: Type.Union([Type.String({ pattern: '^[0-9a-f]{64}$' }), Type.Null()]),
  ideVersion: optionalText(64),
  os: optionalText(64),
});
export type TraceHeader = Static<typeof TraceHeaderSchema>;

/** An accepted event as it travels on the bus: identity fixed, secrets redacted. */
export const TraceEventSchema = Type.Object({
  /** SHA-256 hex, as the old service computed it. */
  eventId: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  clientSeq: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  /** Event time, ISO-8601 UTC. */
  ts: isoTime,
  type: Type.Union(TRACE_EVENT_TYPES.map((t) => Type.Literal(t))),
  /** The payload as JSON text, secrets replaced. */
  payload: Type.String(),
  /** How many secrets were replaced in the payload. */
  redactions: Type.Integer({ minimum: 0 }),
});
export type TraceEvent = Static<typeof TraceEventSchema>;

/** What the gateway publishes for one accepted batch (validated again on consume). */
export const TraceBatchPayloadSchema = Type.Object({
  traceId: Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' }),
  header: TraceHeaderSchema,
  /** In the order the server numbers them (client seq, then ts, then position in the batch). */
  events: Type.Array(TraceEventSchema),
});
export type TraceBatchPayload = Static<typeof TraceBatchPayloadSchema>;
