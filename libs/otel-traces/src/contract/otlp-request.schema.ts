import { type Static, type TSchema, Type } from '@sinclair/typebox';

/**
 * An OTLP `ExportTraceServiceRequest` in the OTLP/JSON encoding (the proto3 JSON mapping with hex
 * trace and span ids, enums as integers or names, 64-bit integers as numbers or decimal strings).
 * A protobuf request is decoded into the same shape, so one set of rules checks both. Unknown
 * fields are ignored, as the OTLP specification requires of receivers.
 */

const uint64 = Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '^[0-9]{1,20}$' })]);
const int64 = Type.Union([Type.Integer(), Type.String({ pattern: '^-?[0-9]{1,19}$' })]);
const hexId = (bytes: number) =>
  Type.String({
    pattern: `^[0-9a-fA-F]{${bytes * 2}}$`,
    errorMessage: `must be ${bytes} bytes as ${bytes * 2} hex characters`,
  });

/** A span kind: the number, or the enum name (`SPAN_KIND_SERVER`). */
export const SPAN_KINDS = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
] as const;
/** A status code: the number, or the enum name (`STATUS_CODE_ERROR`). */
export const STATUS_CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'] as const;

const enumOf = (names: readonly string[]) =>
  Type.Union([
    Type.Integer({ minimum: 0, maximum: names.length - 1 }),
    Type.Union(names.map((n) => Type.Literal(n))),
  ]);

/** `AnyValue`: one of its fields is set (none set is an empty value). */
export const AnyValueSchema = Type.Recursive(
  (Value) =>
    Type.Object({
      stringValue: Type.Optional(Type.String()),
      boolValue: Type.Optional(Type.Boolean()),
      intValue: Type.Optional(int64),
      doubleValue: Type.Optional(
        Type.Union([Type.Number(), Type.Union(['NaN', 'Infinity', '-Infinity'].map((v) => Type.Literal(v)))]),
      ),
      arrayValue: Type.Optional(Type.Object({ values: Type.Optional(Type.Array(Value)) })),
      kvlistValue: Type.Optional(
        Type.Object({
          values: Type.Optional(Type.Array(Type.Object({ key: Type.String(), value: Type.Optional(Value) }))),
        }),
      ),
      bytesValue: Type.Optional(Type.String()),
    }),
  { $id: 'OtlpAnyValue' },
);
export type AnyValue = Static<typeof AnyValueSchema>;

const keyValues = <T extends TSchema>(value: T) =>
  Type.Array(Type.Object({ key: Type.String(), value: Type.Optional(value) }));

/**
 * Attributes refer to AnyValue by its $id; each schema compiled on its own carries the definition
 * once in `$defs` (Ajv refuses one $id at two places).
 */
export const KeyValuesSchema = keyValues(Type.Ref(AnyValueSchema));
const withAnyValue = { $defs: { anyValue: AnyValueSchema } };
export type KeyValues = Static<typeof KeyValuesSchema>;

/** One span, checked on its own: a span that breaks a rule is rejected, its neighbours are kept. */
export const OtlpSpanSchema = Type.Object(
  {
    traceId: hexId(16),
    spanId: hexId(8),
    parentSpanId: Type.Optional(Type.Union([Type.Literal(''), hexId(8)])),
    traceState: Type.Optional(Type.String()),
    name: Type.String({ maxLength: 1024 }),
    kind: Type.Optional(enumOf(SPAN_KINDS)),
    startTimeUnixNano: uint64,
    endTimeUnixNano: uint64,
    attributes: Type.Optional(KeyValuesSchema),
    events: Type.Optional(
      Type.Array(
        Type.Object({
          timeUnixNano: Type.Optional(uint64),
          name: Type.Optional(Type.String({ maxLength: 1024 })),
          attributes: Type.Optional(KeyValuesSchema),
        }),
      ),
    ),
    links: Type.Optional(
      Type.Array(
        Type.Object({
          traceId: hexId(16),
          spanId: hexId(8),
          traceState: Type.Optional(Type.String()),
          attributes: Type.Optional(KeyValuesSchema),
        }),
      ),
    ),
    status: Type.Optional(
      Type.Object({ code: Type.Optional(enumOf(STATUS_CODES)), message: Type.Optional(Type.String()) }),
    ),
  },
  withAnyValue,
);
export type OtlpSpan = Static<typeof OtlpSpanSchema>;

/** The request around the spans; a request that breaks this is undecodable as a whole (400). */
export const OtlpExportRequestSchema = Type.Object(
  {
    resourceSpans: Type.Optional(
      Type.Array(
        Type.Object({
          resource: Type.Optional(Type.Object({ attributes: Type.Optional(KeyValuesSchema) })),
          scopeSpans: Type.Optional(
            Type.Array(
              Type.Object({
                scope: Type.Optional(
                  Type.Object({ name: Type.Optional(Type.String()), version: Type.Optional(Type.String()) }),
                ),
                // Each span is checked by OtlpSpanSchema on its own.
                spans: Type.Optional(Type.Array(Type.Unknown())),
              }),
            ),
          ),
        }),
      ),
    ),
  },
  withAnyValue,
);
export type OtlpExportRequest = Static<typeof OtlpExportRequestSchema>;
