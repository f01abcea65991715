import type { Envelope } from '@th/contracts';
import { compileSchema, counter } from '@th/platform';
import { type Projection, type TableRow, firstWinsVersion } from '@th/projection';
import {
  type AcceptedSpan,
  type Attributes,
  OTLP_EXPORT_KIND,
  type OtlpExportPayload,
  OtlpExportPayloadSchema,
} from '../contract/otlp-export.schema';
import { analyticsColumns, attributeText } from './analytics-columns';
import { MergedAttributes } from './merged-attributes';
import { routeSpan } from './span-router';

const unknownCategory = counter(
  'otel_spans_unknown_category_total',
  'Spans whose event.category names no analytics table (kept in spans only)',
);

const KINDS = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
const STATUSES = ['UNSET', 'OK', 'ERROR'];

/**
 * Each accepted span becomes a `spans` row and, when the router gives it one, a row of its
 * analytics table. First write wins, keyed by (trace id, span id): a resent span changes nothing.
 */
export const otelProjection: Projection<OtlpExportPayload> = {
  kind: OTLP_EXPORT_KIND,
  validatePayload: compileSchema(OtlpExportPayloadSchema),
  project(envelope: Envelope<OtlpExportPayload>): TableRow[] {
    const rows: TableRow[] = [];
    // One version per envelope (as app events): a span's content is fixed by its identity, so only
    // which copy was received first matters.
    const version = firstWinsVersion(envelope.receivedAt, envelope.id);
    const receivedAt = envelope.receivedAt;
    for (const group of envelope.payload.groups) {
      const serviceName = attributeText(group.resource['service.name'] ?? 'unknown_service');
      const resourceAttributes = textMap(group.resource);
      for (const span of group.spans) {
        const attributes = new MergedAttributes(group.resource, span.attributes);
        const route = routeSpan(attributes, span.kind);
        if (route.rule === 'event.category (unknown value)') unknownCategory.inc();
        const start = isoNano(span.startTimeUnixNano);
        // PARTITION BY toYYYYMM(start_time) / toYYYYMM(timestamp).
        const partition = start.slice(0, 7);
        rows.push({
          table: 'spans',
          partition,
          row: {
            trace_id: span.traceId,
            span_id: span.spanId,
            parent_span_id: span.parentSpanId,
            name: span.name,
            kind: KINDS[span.kind],
            start_time: start,
            end_time: isoNano(span.endTimeUnixNano),
            duration_ns: durationNanos(span),
            status_code: STATUSES[span.statusCode],
            status_message: span.statusMessage,
            service_name: serviceName,
            scope_name: group.scopeName,
            scope_version: group.scopeVersion,
            resource_attributes: resourceAttributes,
            attributes: textMap(span.attributes),
            events: span.events.length === 0 ? '[]' : JSON.stringify(span.events.map(storedEvent)),
            links: span.links.length === 0 ? '[]' : JSON.stringify(span.links.map(storedLink)),
            routed_to: route.table ? [route.table] : [],
            received_at: receivedAt,
            version,
          },
        });
        if (route.table) {
          const row = analyticsColumns(route.table, attributes, span);
          row.trace_id = span.traceId;
          row.span_id = span.spanId;
          row.service_name = serviceName;
          row.timestamp = start;
          row.received_at = receivedAt;
          row.version = version;
          rows.push({ table: route.table, partition, row });
        }
      }
    }
    return rows;
  },
};

type SpanEvent = AcceptedSpan['events'][number];
type SpanLink = AcceptedSpan['links'][number];

/** Events and links as the `spans` columns keep them (JSON with snake_case keys). */
function storedEvent(event: SpanEvent) {
  return { time_unix_nano: event.timeUnixNano, name: event.name, attributes: event.attributes };
}

function storedLink(link: SpanLink) {
  return { trace_id: link.traceId, span_id: link.spanId, attributes: link.attributes };
}

/** end - start in nanoseconds, as decimal text (both fit 64 bits; the difference is exact). */
function durationNanos(span: AcceptedSpan): string {
  return (BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)).toString();
}

/** Attribute values as Map(String, String) text; most are strings already, kept as they are. */
function textMap(attributes: Attributes): Record<string, unknown> {
  let allText = true;
  for (const key in attributes) {
    if (typeof attributes[key] !== 'string') {
      allText = false;
      break;
    }
  }
  if (allText) return attributes;
  const map: Record<string, string> = {};
  for (const key of Object.keys(attributes)) map[key] = attributeText(attributes[key]);
  return map;
}

/** The last second formatted: the spans of one export mostly start within a few seconds. */
let lastSecond = Number.NaN;
let lastSecondText = '';

/** Nanoseconds since the epoch → ISO-8601 UTC with nine fraction digits (DateTime64(9)). */
export function isoNano(unixNano: string): string {
  // Text arithmetic: the seconds fit a double, the nine fraction digits are copied as they are.
  const digits = unixNano.padStart(10, '0');
  const second = Number(digits.slice(0, -9));
  if (second !== lastSecond) {
    lastSecond = second;
    lastSecondText = new Date(second * 1000).toISOString().slice(0, 19);
  }
  return `${lastSecondText}.${digits.slice(-9)}Z`;
}
