import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EVENT_BUS, type EventBus } from '@th/bus';
import type { Envelope } from '@th/contracts';
import { BadRequestError, counter } from '@th/platform';
import { OTEL_TRACES_SETTINGS, type OtelTracesConfig } from '../config';
import { OTLP_EXPORT_KIND, type OtlpExportPayload, type SpanGroup } from '../contract/otlp-export.schema';
import type { IdHasher } from './id-hasher';
import { type ExportEncoding, type ParsedExport, type SpanLimits, parseExport } from './otlp-request';

export const OTEL_ID_HASHER = Symbol('OTEL_ID_HASHER');

/** How an export arrived; a label of the metrics. */
export type OtlpTransport = 'http' | 'grpc';

const acceptedSpans = counter('otlp_spans_accepted_total', 'OTLP spans accepted and on the log', [
  'transport',
] as const);
const rejectedSpans = counter(
  'otlp_spans_rejected_total',
  'OTLP spans refused for breaking a rule (reported in partial_success)',
  ['transport'] as const,
);

/**
 * Most characters of spans in one envelope: an export may be as large as the body limit, and its
 * JSON form must stay well under the broker's message size (1 MB by default).
 */
const ENVELOPE_CHARS = 400_000;

/** What the exporter is told: how many spans were refused and why (both empty on full success). */
export interface ExportOutcome {
  rejectedSpans: number;
  errorMessage: string;
}

/** Every span of the export broke a rule: nothing to store, and resending it cannot help. */
export class NoValidSpanError extends BadRequestError {
  constructor(rejected: number, errorMessage: string) {
    super(errorMessage);
    this.details.rejected_spans = rejected;
  }
}

/**
 * One OTLP export, from HTTP or gRPC: checked span by span, identities hashed, then published as
 * one envelope (several for a very large export) keyed by trace id. Answers only once the log has
 * the spans; when it cannot take them, the bus's 503 reaches the exporter, which retries.
 */
@Injectable()
export class OtlpIngestService {
  private readonly limits: SpanLimits;

  constructor(
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(OTEL_ID_HASHER) private readonly hasher: IdHasher,
    @Inject(OTEL_TRACES_SETTINGS) config: OtelTracesConfig,
  ) {
    this.limits = {
      maxAttributes: config.OTLP_MAX_SPAN_ATTRIBUTES,
      maxAttributeLength: config.OTLP_MAX_ATTRIBUTE_LENGTH,
    };
  }

  async export(request: unknown, transport: OtlpTransport, encoding: ExportEncoding): Promise<ExportOutcome> {
    const parsed = parseExport(request, this.limits, this.hasher, encoding);
    rejectedSpans.inc({ transport }, parsed.rejectedSpans);
    if (parsed.acceptedSpans === 0 && parsed.rejectedSpans > 0) {
      throw new NoValidSpanError(parsed.rejectedSpans, parsed.errorMessage);
    }
    if (parsed.acceptedSpans > 0) await this.bus.publish(envelopesOf(parsed, Date.now()));
    acceptedSpans.inc({ transport }, parsed.acceptedSpans);
    return { rejectedSpans: parsed.rejectedSpans, errorMessage: parsed.errorMessage };
  }
}

/** The export's groups, cut into envelopes of at most ENVELOPE_CHARS (a group may be split). */
function envelopesOf(parsed: ParsedExport, now: number): Envelope<OtlpExportPayload>[] {
  const parts = Math.max(1, Math.ceil(parsed.approxChars / ENVELOPE_CHARS));
  const spansPerPart = Math.ceil(parsed.acceptedSpans / parts);
  const envelopes: Envelope<OtlpExportPayload>[] = [];
  let groups: SpanGroup[] = [];
  let size = 0;
  const close = () => {
    if (size > 0) envelopes.push(envelope(groups, now));
    groups = [];
    size = 0;
  };
  for (const group of parsed.groups) {
    for (let at = 0; at < group.spans.length;) {
      const spans = group.spans.slice(at, at + spansPerPart - size);
      groups.push({ ...group, spans });
      size += spans.length;
      at += spans.length;
      if (size >= spansPerPart) close();
    }
  }
  close();
  return envelopes;
}

function envelope(groups: SpanGroup[], now: number): Envelope<OtlpExportPayload> {
  const first = groups[0].spans[0];
  // Deterministic: a retried export makes the same envelope id (and the same rows).
  const digest = createHash('sha256');
  for (const group of groups) for (const span of group.spans) digest.update(span.traceId).update(span.spanId);
  return {
    id: `otlp/${digest.digest('hex')}`,
    kind: OTLP_EXPORT_KIND,
    source: 'otlp',
    // Spans of one trace usually travel together; the first one's trace picks the partition.
    key: first.traceId,
    receivedAt: new Date(now).toISOString(),
    schemaVersion: 1,
    payload: { groups },
  };
}
