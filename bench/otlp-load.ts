import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client, credentials } from '@grpc/grpc-js';
import * as protobuf from 'protobufjs';

/**
 * OTLP exports as an OTel Collector sends them: protobuf `ExportTraceServiceRequest`s of a fixed
 * number of spans, over HTTP (`POST /v1/traces`) or gRPC (`TraceService/Export`). Every request
 * carries new trace ids, so every span is new and must be stored once.
 */
export interface OtlpLoadOptions {
  /** `http://host:port` of the HTTP server, or `host:port` of the gRPC receiver. */
  target: string;
  transport: 'http' | 'grpc';
  /** The service name of every span: makes this run's spans countable apart. */
  service: string;
  spansPerRequest: number;
  concurrency: number;
  durationMs: number;
}

export interface OtlpLoadResult {
  requestsAcknowledged: number;
  spansAcknowledged: number;
  /** Endpoint spans acknowledged (one in four spans): what endpointUsage must count. */
  endpointCallsAcknowledged: number;
  failures: number;
  elapsedMs: number;
  latenciesMs: number[];
}

const PROTO_DIR = join(__dirname, '..', '..', 'libs', 'otel-traces', 'proto');
/** The first bytes of every template trace id; the request's own bytes replace the rest. */
const MARKER = Buffer.from([0xa5, 0x5a, 0xa5, 0x5a, 0xa5, 0x5a]);
const SPANS_PER_TRACE = 4;

function exportRequestType(): protobuf.Type {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(PROTO_DIR, target);
  root.loadSync('opentelemetry/proto/collector/trace/v1/trace_service.proto');
  root.resolveAll();
  return root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
}

const text = (key: string, value: string) => ({ key, value: { stringValue: value } });
const int = (key: string, value: number) => ({ key, value: { intValue: value } });

/**
 * One request, encoded once: traces of four spans as the processor's apps send them (an endpoint
 * call with a feature use, an internal step and a login under it). Trace ids are a marker and the
 * trace's number; {@link OtlpRequests.next} rewrites the marker per request.
 */
function template(service: string, spans: number): { bytes: Buffer; traceIdOffsets: number[] } {
  const start = BigInt(Date.UTC(2026, 2, 2, 9)) * 1_000_000n;
  const traces = Math.ceil(spans / SPANS_PER_TRACE);
  const otlpSpans = [];
  for (let t = 0; t < traces; t++) {
    const traceId = Buffer.alloc(16);
    MARKER.copy(traceId, 0);
    traceId.writeUInt32BE(t, 12);
    const spanId = (n: number) => Buffer.from([0, 0, 0, 1, 0, 0, 0, n + 1]);
    const at = start + BigInt(t) * 1_000_000n;
    const user = `user-${t % 500}`;
    const common = { traceId, startTimeUnixNano: at.toString() };
    otlpSpans.push(
      {
        ...common,
        spanId: spanId(0),
        name: `http.GET./api/v1/items/${t % 20}`,
        kind: 2,
        endTimeUnixNano: (at + BigInt(5 + (t % 50)) * 1_000_000n).toString(),
        attributes: [
          text('event.category', 'endpoint_usage'),
          text('http.method', t % 5 === 0 ? 'POST' : 'GET'),
          text('http.route', `/api/v1/items/${t % 20}`),
          int('http.status_code', t % 50 === 0 ? 500 : 200),
          text('user.id', user),
          text('organization.id', `org-${t % 20}`),
        ],
        status: {},
      },
      {
        ...common,
        spanId: spanId(1),
        parentSpanId: spanId(0),
        name: `feature.items_${t % 8}`,
        kind: 1,
        endTimeUnixNano: (at + 2_000_000n).toString(),
        attributes: [
          text('feature.name', `items_${t % 8}`),
          text('feature.action', 'viewed'),
          text('user.id', user),
          text('metadata.page', String(t % 3)),
        ],
        status: {},
      },
      {
        ...common,
        spanId: spanId(2),
        parentSpanId: spanId(0),
        name: 'SELECT items',
        kind: 3,
        endTimeUnixNano: (at + 1_000_000n).toString(),
        attributes: [
          text('db.system', 'postgresql'),
          text('db.statement', 'SELECT * FROM items WHERE id = $1'),
        ],
        status: {},
      },
      {
        ...common,
        spanId: spanId(3),
        parentSpanId: spanId(0),
        name: 'user.activity',
        kind: 1,
        endTimeUnixNano: (at + 500_000n).toString(),
        attributes: [
          text('event.category', 'user_activity'),
          text('event.type', 'login'),
          text('user.id', user),
          text('session.id', `sess-${t}`),
        ],
        status: {},
      },
    );
  }
  const type = exportRequestType();
  const request = {
    resourceSpans: [
      {
        resource: {
          attributes: [
            text('service.name', service),
            text('service.version', '1.0.0'),
            text('deployment.type', 'self-hosted'),
          ],
        },
        scopeSpans: [{ scope: { name: 'bench' }, spans: otlpSpans.slice(0, spans) }],
      },
    ],
  };
  const bytes = Buffer.from(type.encode(type.fromObject(request)).finish());
  const traceIdOffsets: number[] = [];
  for (let at = bytes.indexOf(MARKER); at >= 0; at = bytes.indexOf(MARKER, at + 1)) traceIdOffsets.push(at);
  return { bytes, traceIdOffsets };
}

/** Requests of the same template, each with trace ids of its own (run tag and request number). */
export class OtlpRequests {
  private readonly template: { bytes: Buffer; traceIdOffsets: number[] };
  private readonly runTag = randomBytes(2);
  private count = 0;

  constructor(service: string, spans: number) {
    this.template = template(service, spans);
  }

  next(): Buffer {
    const bytes = Buffer.from(this.template.bytes);
    const request = this.count++;
    for (const offset of this.template.traceIdOffsets) {
      this.runTag.copy(bytes, offset);
      bytes.writeUInt32BE(request, offset + 2);
    }
    return bytes;
  }
}

const EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

function grpcExport(client: Client, body: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(
      EXPORT_PATH,
      (bytes: Buffer) => bytes,
      (bytes: Buffer) => bytes,
      body,
      (error) => (error ? reject(error) : resolve()),
    );
  });
}

export async function runOtlpLoad(options: OtlpLoadOptions): Promise<OtlpLoadResult> {
  const requests = new OtlpRequests(options.service, options.spansPerRequest);
  const endpointSpans = Math.ceil(options.spansPerRequest / SPANS_PER_TRACE);
  const client =
    options.transport === 'grpc' ? new Client(options.target, credentials.createInsecure()) : undefined;
  const send =
    client !== undefined
      ? (body: Buffer) => grpcExport(client, body).then(() => true)
      : async (body: Buffer) => {
          const response = await fetch(`${options.target}/v1/traces`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-protobuf' },
            body,
          });
          await response.arrayBuffer();
          return response.ok;
        };
  const result: OtlpLoadResult = {
    requestsAcknowledged: 0,
    spansAcknowledged: 0,
    endpointCallsAcknowledged: 0,
    failures: 0,
    elapsedMs: 0,
    latenciesMs: [],
  };
  const started = performance.now();
  const deadline = started + options.durationMs;
  try {
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (performance.now() < deadline) {
          const sent = performance.now();
          const ok = await send(requests.next()).catch(() => false);
          result.latenciesMs.push(performance.now() - sent);
          if (ok) {
            result.requestsAcknowledged++;
            result.spansAcknowledged += options.spansPerRequest;
            result.endpointCallsAcknowledged += endpointSpans;
          } else result.failures++;
        }
      }),
    );
  } finally {
    client?.close();
  }
  result.elapsedMs = performance.now() - started;
  return result;
}

/** Calls endpointUsage counts for the service (GraphQL): every endpoint span of the run, once. */
export async function storedEndpointCalls(apiUrl: string, service: string): Promise<number> {
  const response = await fetch(`${apiUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query:
        'query($s: String) { endpointUsage(from: "2026-03-01T00:00:00Z", to: "2026-03-04T00:00:00Z", service: $s, limit: 500) { calls } }',
      variables: { s: service },
    }),
  });
  const body = (await response.json()) as { data?: { endpointUsage: { calls: number }[] }; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return (body.data?.endpointUsage ?? []).reduce((sum, row) => sum + row.calls, 0);
}
