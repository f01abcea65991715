import { type ConfigOf, type ConfigVariables, enumVar, intVar, optionalStringVar } from '@th/platform';

/** The otel-traces domain's environment variables (OTLP over HTTP `POST /v1/traces` and gRPC). */
export const OTEL_TRACES_CONFIG = {
  OTLP_GRPC_PORT: intVar('Port of the OTLP/gRPC trace receiver (TraceService/Export); 0 turns it off', 4317, {
    min: 0,
    max: 65_535,
  }),
  OTEL_API_KEY: optionalStringVar(
    'When set, OTLP exports must carry it in x-api-key (gRPC metadata or HTTP header), as the old processor required',
  ),
  OTEL_ID_HASH: enumVar(
    "How user.id, organization.id and enduser.id are hashed: sha256 (the processor's rule, first 16 hex) or hmac (keyed with OTEL_ID_HASH_SECRET)",
    ['sha256', 'hmac'] as const,
    'sha256',
  ),
  OTEL_ID_HASH_SECRET: optionalStringVar('Key of OTEL_ID_HASH=hmac (at least 16 characters)', {
    pattern: /^.{16,}$/,
    expected: 'at least 16 characters',
  }),
  OTLP_MAX_SPAN_ATTRIBUTES: intVar(
    'Most attributes on one span (and on one resource); a span with more is rejected in partial_success',
    128,
    { min: 1, max: 10_000 },
  ),
  OTLP_MAX_ATTRIBUTE_LENGTH: intVar(
    'Longest attribute string value, in characters; a span with a longer one is rejected in partial_success',
    16_384,
    { min: 64, max: 1_048_576 },
  ),
} satisfies ConfigVariables;

export type OtelTracesConfig = ConfigOf<typeof OTEL_TRACES_CONFIG>;

/** Injection token of {@link OtelTracesConfig}. */
export const OTEL_TRACES_SETTINGS = Symbol('OTEL_TRACES_SETTINGS');
