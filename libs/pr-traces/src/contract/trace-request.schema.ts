import { type Static, Type } from '@sinclair/typebox';
import { oneOf } from '@th/platform';

/**
 * What IDE plugins post to `POST /ingest`, in the two shapes the old service's clients use: the
 * flat batch its code accepts, and the nested trace of its plan. Bounds that operators tune
 * (events per batch, payload size, string length) are checked by the ingest, from the config.
 */

export const PR_STATUSES = ['open', 'merged', 'closed'] as const;
export const TRACE_EVENT_TYPES = ['edit', 'command', 'test', 'commit', 'annotation'] as const;

const uuid = Type.String({
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
  errorMessage: 'must be a UUID',
});
const prId = Type.String({
  pattern: '^[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}#[0-9]{1,10}$',
  errorMessage: 'must look like "owner/repo#123"',
});
const name = Type.String({ minLength: 1, maxLength: 255 });
const status = oneOf(PR_STATUSES);
const dateTime = Type.String({ format: 'date-time', errorMessage: 'must be an ISO-8601 date-time' });

/** The flat batch the running service accepts. */
export const FlatTraceHeaderSchema = Type.Object({
  trace_id: Type.Optional(uuid),
  pr_id: prId,
  repo_name: name,
  branch: name,
  status: Type.Optional(status),
});

/** The nested trace of the service's plan. */
export const NestedTraceHeaderSchema = Type.Object({
  trace_id: Type.Optional(uuid),
  repo: Type.Object({
    name,
    branch: name,
    language: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 50 })),
  }),
  pr: Type.Object({
    pr_id: prId,
    title: Type.Optional(Type.String({ maxLength: 1024 })),
    status: Type.Optional(status),
    created_at: Type.Optional(dateTime),
    merged_at: Type.Optional(Type.Union([dateTime, Type.Null()])),
  }),
  developer: Type.Optional(
    Type.Object({
      user_id: name,
      ide_version: Type.Optional(Type.String({ maxLength: 64 })),
      os: Type.Optional(Type.String({ maxLength: 64 })),
    }),
  ),
  // The plan's client-side summary; the hub computes its own from the events.
  timeline: Type.Optional(Type.Unknown()),
});

const count = Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 });
const text = Type.String();

/** Each event type's payload; fields beyond these are kept as sent. */
export const EVENT_PAYLOAD_SCHEMAS = {
  edit: Type.Object({
    file: Type.String({ minLength: 1 }),
    change_summary: Type.String({
      pattern: '^\\+[0-9]{1,9}/-[0-9]{1,9}$',
      errorMessage: 'must look like "+N/-M"',
    }),
    diff_snippet: Type.Optional(text),
  }),
  command: Type.Object({
    command: Type.String({ minLength: 1 }),
    exit_code: Type.Integer({ minimum: -(2 ** 31), maximum: 2 ** 31 - 1 }),
    stdout_sample: Type.Optional(text),
  }),
  test: Type.Object({
    command: Type.Optional(text),
    passed: count,
    failed: count,
    duration_ms: Type.Optional(Type.Number({ minimum: 0 })),
  }),
  commit: Type.Object({
    sha: Type.String({ minLength: 1, maxLength: 128 }),
    message: text,
    files_changed: count,
  }),
  annotation: Type.Object({ note: text }),
} as const;

/** One event as sent; `seq` is required in the flat shape, optional in the nested one. */
export const TraceEventRequestSchema = Type.Object({
  seq: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
  ts: dateTime,
  type: oneOf(TRACE_EVENT_TYPES),
  payload: Type.Object({}, { additionalProperties: true }),
});

export type FlatTraceHeader = Static<typeof FlatTraceHeaderSchema>;
export type NestedTraceHeader = Static<typeof NestedTraceHeaderSchema>;
export type TraceEventRequest = Static<typeof TraceEventRequestSchema>;
export type TraceEventType = (typeof TRACE_EVENT_TYPES)[number];
export type PrStatus = (typeof PR_STATUSES)[number];
