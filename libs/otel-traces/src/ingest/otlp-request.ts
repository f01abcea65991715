import { type ValidationResult, ValidationFailedError, compileSchema } from '@th/platform';
import type { AcceptedSpan, Attributes, SpanGroup } from '../contract/otlp-export.schema';
import {
  type AnyValue,
  type KeyValues,
  OtlpExportRequestSchema,
  type OtlpSpan,
  OtlpSpanSchema,
  SPAN_KINDS,
  STATUS_CODES,
} from '../contract/otlp-request.schema';
import type { IdHasher } from './id-hasher';

/** Attributes that name a person or an organization: hashed before anything leaves the gateway. */
export const IDENTITY_KEYS: ReadonlySet<string> = new Set(['user.id', 'organization.id', 'enduser.id']);

export interface SpanLimits {
  readonly maxAttributes: number;
  readonly maxAttributeLength: number;
}

/** An export after the edge's checks: the accepted spans, grouped, and why the others were refused. */
export interface ParsedExport {
  readonly groups: SpanGroup[];
  readonly acceptedSpans: number;
  readonly rejectedSpans: number;
  /** The first reasons, for partial_success.error_message; empty when nothing was rejected. */
  readonly errorMessage: string;
  /** Rough size of the accepted spans as JSON, in characters (to split large exports). */
  readonly approxChars: number;
}

/** The latest time a DateTime64(9) column holds (2^63 - 1 nanoseconds after the epoch). */
const LATEST_TIME_NANO = (1n << 63n) - 1n;

/** How many rejection reasons the error message lists before "and N more". */
const LISTED_REASONS = 5;

/** How the export arrived: JSON text, or protobuf decoded from UTF-8 (no ill-formed text possible). */
export type ExportEncoding = 'json' | 'protobuf';

const VALIDATORS = {
  json: { request: compileSchema(OtlpExportRequestSchema), span: compileSchema(OtlpSpanSchema) },
  protobuf: {
    request: compileSchema(OtlpExportRequestSchema, { text: 'decoded-utf8' }),
    span: compileSchema(OtlpSpanSchema, { text: 'decoded-utf8' }),
  },
};

/** A rule the span broke, worded for the exporter's log. */
class SpanRuleError extends Error {}

/**
 * Checks an export (OTLP/JSON shape; a protobuf one is decoded into it first) and turns each valid
 * span into its published form: ids lower-case hex, attributes as JSON, identities hashed. A
 * request whose frame is broken is refused whole (400); a span that breaks a rule is counted as
 * rejected and its neighbours are kept.
 */
export function parseExport(
  body: unknown,
  limits: SpanLimits,
  hasher: IdHasher,
  encoding: ExportEncoding = 'json',
): ParsedExport {
  const validate = VALIDATORS[encoding];
  const request = validate.request(body);
  if (!request.ok) throw new ValidationFailedError(request.errors);
  const groups: SpanGroup[] = [];
  const reasons: string[] = [];
  let accepted = 0;
  let rejected = 0;
  let approxChars = 0;
  const budget = { chars: 0 };
  (request.value.resourceSpans ?? []).forEach((resourceSpans, r) => {
    const scopes = resourceSpans.scopeSpans ?? [];
    let resource: Attributes;
    try {
      budget.chars = 0;
      resource = attributesOf(resourceSpans.resource?.attributes, limits, hasher, budget);
      approxChars += budget.chars;
    } catch (error) {
      // Every span of the resource would carry the broken resource: all are refused.
      const count = scopes.reduce((n, s) => n + (s.spans?.length ?? 0), 0);
      rejected += count;
      if (count > 0) reasons.push(`resourceSpans[${r}].resource: ${(error as Error).message}`);
      return;
    }
    scopes.forEach((scopeSpans, s) => {
      const spans: AcceptedSpan[] = [];
      (scopeSpans.spans ?? []).forEach((raw, i) => {
        try {
          budget.chars = 0;
          spans.push(acceptedSpan(validate.span(raw), limits, hasher, budget));
          approxChars += budget.chars + 300;
        } catch (error) {
          rejected += 1;
          reasons.push(`resourceSpans[${r}].scopeSpans[${s}].spans[${i}]: ${(error as Error).message}`);
        }
      });
      if (spans.length === 0) return;
      accepted += spans.length;
      groups.push({
        resource,
        scopeName: scopeSpans.scope?.name ?? '',
        scopeVersion: scopeSpans.scope?.version ?? '',
        spans,
      });
    });
  });
  return {
    groups,
    acceptedSpans: accepted,
    rejectedSpans: rejected,
    errorMessage: summary(reasons),
    approxChars,
  };
}

function summary(reasons: readonly string[]): string {
  if (reasons.length === 0) return '';
  const listed = reasons.slice(0, LISTED_REASONS).join('; ');
  const more = reasons.length - LISTED_REASONS;
  return `${reasons.length} span(s) rejected: ${listed}${more > 0 ? `; and ${more} more` : ''}`;
}

function acceptedSpan(
  checked: ValidationResult<OtlpSpan>,
  limits: SpanLimits,
  hasher: IdHasher,
  budget: { chars: number },
): AcceptedSpan {
  if (!checked.ok) throw new SpanRuleError(checked.errors.map((e) => `${e.field} ${e.message}`).join('; '));
  const span: OtlpSpan = checked.value;
  const traceId = span.traceId.toLowerCase();
  const spanId = span.spanId.toLowerCase();
  if (/^0+$/.test(traceId)) throw new SpanRuleError('traceId must not be all zeros');
  if (/^0+$/.test(spanId)) throw new SpanRuleError('spanId must not be all zeros');
  const start = BigInt(span.startTimeUnixNano);
  const end = BigInt(span.endTimeUnixNano);
  if (start === 0n) throw new SpanRuleError('startTimeUnixNano is required (it is 0)');
  if (end < start) throw new SpanRuleError('endTimeUnixNano is before startTimeUnixNano');
  if (end > LATEST_TIME_NANO)
    throw new SpanRuleError('endTimeUnixNano is after 2262-04-11, the latest time stored');
  budget.chars += span.name.length;
  return {
    traceId,
    spanId,
    parentSpanId: (span.parentSpanId ?? '').toLowerCase(),
    name: span.name,
    kind: enumIndex(span.kind, SPAN_KINDS),
    startTimeUnixNano: start.toString(),
    endTimeUnixNano: end.toString(),
    statusCode: enumIndex(span.status?.code, STATUS_CODES),
    statusMessage: checkedText(span.status?.message ?? '', 'status.message', limits),
    attributes: attributesOf(span.attributes, limits, hasher, budget),
    events: (span.events ?? []).map((event) => ({
      timeUnixNano: BigInt(event.timeUnixNano ?? 0).toString(),
      name: event.name ?? '',
      attributes: attributesOf(event.attributes, limits, hasher, budget),
    })),
    links: (span.links ?? []).map((link) => ({
      traceId: link.traceId.toLowerCase(),
      spanId: link.spanId.toLowerCase(),
      attributes: attributesOf(link.attributes, limits, hasher, budget),
    })),
  };
}

function enumIndex(value: number | string | undefined, names: readonly string[]): number {
  if (value === undefined) return 0;
  return typeof value === 'number' ? value : names.indexOf(value);
}

function checkedText(text: string, field: string, limits: SpanLimits): string {
  if (text.length > limits.maxAttributeLength) {
    throw new SpanRuleError(`${field} is longer than ${limits.maxAttributeLength} characters`);
  }
  return text;
}

/** OTLP key-values → a JSON object (a repeated key: the last wins); identity keys hashed. */
function attributesOf(
  list: KeyValues | undefined,
  limits: SpanLimits,
  hasher: IdHasher,
  budget: { chars: number },
): Attributes {
  const attributes: Attributes = {};
  if (!list) return attributes;
  if (list.length > limits.maxAttributes) {
    throw new SpanRuleError(`has ${list.length} attributes, more than the limit of ${limits.maxAttributes}`);
  }
  for (const { key, value } of list) {
    const json = jsonOf(value, key, limits, budget);
    attributes[key] = IDENTITY_KEYS.has(key) && json !== null ? hasher.hash(identityText(json)) : json;
    budget.chars += key.length + 8;
  }
  return attributes;
}

function identityText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * `AnyValue` → JSON: a 64-bit integer beyond 2^53 keeps its decimal text, a non-finite double its
 * name, bytes their base64; an empty value is null.
 */
function jsonOf(
  value: AnyValue | undefined,
  key: string,
  limits: SpanLimits,
  budget: { chars: number },
): unknown {
  if (value === undefined) return null;
  if (value.stringValue !== undefined) {
    budget.chars += value.stringValue.length;
    return checkedText(value.stringValue, `attribute ${JSON.stringify(key.slice(0, 64))}`, limits);
  }
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) {
    const number = Number(value.intValue);
    return Number.isSafeInteger(number) ? number : String(value.intValue);
  }
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue !== undefined) {
    return (value.arrayValue.values ?? []).map((item) => jsonOf(item, key, limits, budget));
  }
  if (value.kvlistValue !== undefined) {
    const object: Record<string, unknown> = {};
    for (const entry of value.kvlistValue.values ?? []) {
      object[entry.key] = jsonOf(entry.value, key, limits, budget);
      budget.chars += entry.key.length;
    }
    return object;
  }
  if (value.bytesValue !== undefined) {
    budget.chars += value.bytesValue.length;
    return checkedText(value.bytesValue, `attribute ${JSON.stringify(key.slice(0, 64))}`, limits);
  }
  return null;
}
