import { type AnonHasher, type FieldError, ValidationFailedError, compileSchema } from '@th/platform';
import type { PrTracesConfig } from '../config';
import type { TraceEvent, TraceHeader } from '../contract/trace-batch.schema';
import {
  EVENT_PAYLOAD_SCHEMAS,
  FlatTraceHeaderSchema,
  NestedTraceHeaderSchema,
  type TraceEventRequest,
  TraceEventRequestSchema,
} from '../contract/trace-request.schema';
import { derivedTraceId, pythonJson, traceEventId } from './event-identity';
import { redactJson } from './secret-redactor';

const validateFlat = compileSchema(FlatTraceHeaderSchema);
const validateNested = compileSchema(NestedTraceHeaderSchema);
const validateEvent = compileSchema(TraceEventRequestSchema);
const validatePayload = Object.fromEntries(
  Object.entries(EVENT_PAYLOAD_SCHEMAS).map(([type, schema]) => [type, compileSchema(schema)]),
) as Record<keyof typeof EVENT_PAYLOAD_SCHEMAS, ReturnType<typeof compileSchema>>;

export type TraceLimits = Pick<
  PrTracesConfig,
  'TRACE_MAX_EVENTS' | 'TRACE_MAX_PAYLOAD_BYTES' | 'TRACE_MAX_STRING_LENGTH'
>;

/** One valid event of the batch, with where it was in the request. */
export interface ParsedEvent {
  index: number;
  event: TraceEvent;
}

export interface ParsedTraceBatch {
  traceId: string;
  header: TraceHeader;
  events: ParsedEvent[];
  rejected: { index: number; errors: FieldError[] }[];
}

/**
 * Reads one `POST /ingest` body in either shape: the header must be valid (400 naming each bad
 * field), each event is checked on its own (a bad one is listed, the others kept). Accepted events
 * get the old service's id (over the payload as sent) and are redacted afterwards, so no secret
 * goes further than this function.
 */
export function parseTraceBatch(
  body: unknown,
  limits: TraceLimits,
  hasher: AnonHasher,
  now: number,
): ParsedTraceBatch {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationFailedError([{ field: '(body)', message: 'must be a JSON object' }]);
  }
  const { events, ...rest } = body as Record<string, unknown>;
  const nested = 'repo' in rest || 'pr' in rest || 'developer' in rest;
  const problems: FieldError[] = [];
  if (!Array.isArray(events)) problems.push({ field: 'events', message: 'must be an array' });
  else if (events.length > limits.TRACE_MAX_EVENTS)
    problems.push({ field: 'events', message: `must hold at most ${limits.TRACE_MAX_EVENTS} events` });
  const { traceId, header } = nested ? nestedHeader(rest, problems, hasher, now) : flatHeader(rest, problems);
  if (problems.length > 0 || traceId === undefined || header === undefined) {
    throw new ValidationFailedError(problems);
  }
  const parsed: ParsedEvent[] = [];
  const rejected: ParsedTraceBatch['rejected'] = [];
  (events as unknown[]).forEach((raw, index) => {
    const result = parseEvent(raw, traceId, !nested, limits);
    if ('errors' in result) rejected.push({ index, errors: result.errors });
    else parsed.push({ index, event: result.event });
  });
  return { traceId, header, events: parsed, rejected };
}

interface HeaderResult {
  traceId?: string;
  header?: TraceHeader;
}

function flatHeader(fields: Record<string, unknown>, problems: FieldError[]): HeaderResult {
  const checked = validateFlat(fields);
  if (!checked.ok) {
    problems.push(...checked.errors);
    return {};
  }
  const value = checked.value;
  return {
    traceId: value.trace_id?.toLowerCase() ?? derivedTraceId(value.pr_id, undefined),
    header: {
      prId: value.pr_id,
      repoName: value.repo_name,
      branch: value.branch,
      languages: null,
      title: null,
      status: value.status ?? null,
      prCreatedAt: null,
      prMergedAt: null,
      developerHash: null,
      ideVersion: null,
      os: null,
    },
  };
}

function nestedHeader(
  fields: Record<string, unknown>,
  problems: FieldError[],
  hasher: AnonHasher,
  now: number,
): HeaderResult {
  const checked = validateNested(fields);
  if (!checked.ok) {
    problems.push(...checked.errors);
    return {};
  }
  const { trace_id, repo, pr, developer } = checked.value;
  return {
    traceId: trace_id?.toLowerCase() ?? derivedTraceId(pr.pr_id, developer?.user_id),
    header: {
      prId: pr.pr_id,
      repoName: repo.name,
      branch: repo.branch,
      languages: repo.language ?? null,
      title: pr.title ?? null,
      status: pr.status ?? null,
      prCreatedAt: pr.created_at === undefined ? null : new Date(pr.created_at).toISOString(),
      prMergedAt: pr.merged_at ? new Date(pr.merged_at).toISOString() : null,
      // The id itself goes no further than this line.
      developerHash: developer ? hasher.hash(developer.user_id, now) : null,
      ideVersion: developer?.ide_version ?? null,
      os: developer?.os ?? null,
    },
  };
}

function parseEvent(
  raw: unknown,
  traceId: string,
  seqRequired: boolean,
  limits: TraceLimits,
): { event: TraceEvent } | { errors: FieldError[] } {
  const checked = validateEvent(raw);
  if (!checked.ok) return { errors: checked.errors };
  const sent: TraceEventRequest = checked.value;
  const errors: FieldError[] = [];
  if (seqRequired && sent.seq === undefined) errors.push({ field: 'seq', message: 'is required' });
  const payloadCheck = validatePayload[sent.type](sent.payload);
  if (!payloadCheck.ok)
    errors.push(...payloadCheck.errors.map((e) => ({ ...e, field: `payload.${e.field}` })));
  const longest = longestString(sent.payload);
  if (longest > limits.TRACE_MAX_STRING_LENGTH) {
    errors.push({
      field: 'payload',
      message: `strings must be at most ${limits.TRACE_MAX_STRING_LENGTH} characters (one has ${longest})`,
    });
  }
  const asJson = pythonJson(sent.payload);
  if (Buffer.byteLength(asJson) > limits.TRACE_MAX_PAYLOAD_BYTES)
    errors.push({
      field: 'payload',
      message: `must be at most ${limits.TRACE_MAX_PAYLOAD_BYTES} bytes as JSON`,
    });
  if (errors.length > 0) return { errors };
  const redacted = redactJson(sent.payload);
  return {
    event: {
      // The text the size bound measured is the one the id is computed over.
      eventId: traceEventId(traceId, sent.seq ?? sent.ts, sent.type, asJson),
      clientSeq: sent.seq ?? null,
      ts: new Date(sent.ts).toISOString(),
      type: sent.type,
      payload: JSON.stringify(redacted.value),
      redactions: redacted.redactions,
    },
  };
}

/** The longest string anywhere in a JSON value (keys included). */
function longestString(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return value.reduce((max: number, item) => Math.max(max, longestString(item)), 0);
  if (value !== null && typeof value === 'object')
    return Object.entries(value).reduce(
      (max, [key, item]) => Math.max(max, key.length, longestString(item)),
      0,
    );
  return 0;
}
