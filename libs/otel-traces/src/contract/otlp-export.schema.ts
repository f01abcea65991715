import { type Static, Type } from '@sinclair/typebox';

/** The envelope kind of one accepted OTLP export (or one part of a large one); on the traces topic. */
export const OTLP_EXPORT_KIND = 'otlp-export';

const hex = (chars: number) => Type.String({ pattern: `^[0-9a-f]{${chars}}$` });
const unixNano = Type.String({ pattern: '^[0-9]{1,20}$' });

/**
 * Attributes as JSON: strings, booleans, numbers (a 64-bit integer beyond 2^53 as its decimal
 * text), arrays and objects; bytes as base64. `user.id`, `organization.id` and `enduser.id` are
 * already hashed wherever they appear.
 */
export const AttributesSchema = Type.Record(Type.String(), Type.Unknown());
export type Attributes = Static<typeof AttributesSchema>;

/** A span as the gateway accepted it: ids lower-case hex, times in nanoseconds since the epoch. */
export const AcceptedSpanSchema = Type.Object({
  traceId: hex(32),
  spanId: hex(16),
  /** Empty for a root span. */
  parentSpanId: Type.Union([Type.Literal(''), hex(16)]),
  name: Type.String(),
  /** SpanKind number: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: Type.Integer({ minimum: 0, maximum: 5 }),
  startTimeUnixNano: unixNano,
  endTimeUnixNano: unixNano,
  /** Status code number: 0 unset, 1 ok, 2 error. */
  statusCode: Type.Integer({ minimum: 0, maximum: 2 }),
  statusMessage: Type.String(),
  attributes: AttributesSchema,
  events: Type.Array(
    Type.Object({ timeUnixNano: unixNano, name: Type.String(), attributes: AttributesSchema }),
  ),
  links: Type.Array(Type.Object({ traceId: hex(32), spanId: hex(16), attributes: AttributesSchema })),
});
export type AcceptedSpan = Static<typeof AcceptedSpanSchema>;

/** The spans of one resource and instrumentation scope. */
export const SpanGroupSchema = Type.Object({
  resource: AttributesSchema,
  scopeName: Type.String(),
  scopeVersion: Type.String(),
  spans: Type.Array(AcceptedSpanSchema, { minItems: 1 }),
});
export type SpanGroup = Static<typeof SpanGroupSchema>;

/** What the gateway publishes for an accepted export (validated again on consume). */
export const OtlpExportPayloadSchema = Type.Object({
  groups: Type.Array(SpanGroupSchema, { minItems: 1 }),
});
export type OtlpExportPayload = Static<typeof OtlpExportPayloadSchema>;
