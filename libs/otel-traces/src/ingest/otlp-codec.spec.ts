import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { IdHasher } from './id-hasher';
import {
  UndecodableRequestError,
  decodeExportRequest,
  encodeExportResponse,
  encodeRpcStatus,
} from './otlp-codec';
import { parseExport } from './otlp-request';

/** Spans made by the official SDK: a server span with a child, an event, a link and an error. */
function sdkSpans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout', 'deployment.type': 'cloud' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('codec-spec', '1.2.3');
  const root = tracer.startSpan('GET /cart', {
    kind: SpanKind.SERVER,
    attributes: {
      'http.method': 'GET',
      'http.route': '/cart',
      'http.status_code': 500,
      'user.id': 'user-42',
    },
  });
  const child = tracer.startSpan(
    'feature.cart',
    { attributes: { 'feature.name': 'cart', ratio: 0.25, tags: ['a', 'b'], ok: true } },
    trace.setSpan(context.active(), root),
  );
  child.addEvent('cache miss', { key: 'c1' });
  child.addLink({ context: root.spanContext(), attributes: { why: 'retry' } });
  child.end();
  root.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream failed' });
  root.end();
  return exporter.getFinishedSpans();
}

const limits = { maxAttributes: 128, maxAttributeLength: 16_384 };

describe('OTLP codec (the vendored official definitions, read by protobufjs)', () => {
  it('decodes what the official protobuf serializer writes to the same spans as its JSON serializer', () => {
    const spans = sdkSpans();
    const fromProtobuf = parseExport(
      decodeExportRequest(ProtobufTraceSerializer.serializeRequest(spans)!),
      limits,
      IdHasher.sha256(),
      'protobuf',
    );
    const fromJson = parseExport(
      JSON.parse(Buffer.from(JsonTraceSerializer.serializeRequest(spans)!).toString('utf8')),
      limits,
      IdHasher.sha256(),
    );
    expect(fromProtobuf).toEqual(fromJson);
    expect(fromProtobuf.acceptedSpans).toBe(2);
    const [group] = fromProtobuf.groups;
    expect(group).toMatchObject({ scopeName: 'codec-spec', scopeVersion: '1.2.3' });
    expect(group.resource).toMatchObject({ 'service.name': 'checkout', 'deployment.type': 'cloud' });
    const [child, root] = group.spans;
    expect(root).toMatchObject({
      traceId: spans[1].spanContext().traceId,
      spanId: spans[1].spanContext().spanId,
      parentSpanId: '',
      kind: 2,
      statusCode: 2,
      statusMessage: 'upstream failed',
      attributes: { 'http.status_code': 500, 'user.id': '6d894aa3ee802549' },
    });
    expect(child).toMatchObject({
      parentSpanId: root.spanId,
      attributes: { ratio: 0.25, tags: ['a', 'b'], ok: true },
      events: [{ name: 'cache miss', attributes: { key: 'c1' } }],
      links: [{ traceId: root.traceId, spanId: root.spanId, attributes: { why: 'retry' } }],
    });
    expect(BigInt(child.endTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(child.startTimeUnixNano));
  });

  it('refuses bytes that are not an ExportTraceServiceRequest with a 400', () => {
    const corrupt = () => decodeExportRequest(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]));
    expect(corrupt).toThrow(UndecodableRequestError);
    expect(corrupt).toThrow(/not a valid protobuf ExportTraceServiceRequest/);
  });

  it('answers in a form the official exporter reads: partial success, or nothing to report', () => {
    expect(
      ProtobufTraceSerializer.deserializeResponse(encodeExportResponse(2, 'two spans broke a rule')),
    ).toEqual({
      partialSuccess: { rejectedSpans: 2, errorMessage: 'two spans broke a rule' },
    });
    expect(ProtobufTraceSerializer.deserializeResponse(encodeExportResponse(0, ''))).toEqual({});
  });

  it('writes google.rpc.Status bodies', () => {
    // field 1 (code) varint 14, field 2 (message) "retry"
    expect(Buffer.from(encodeRpcStatus(14, 'retry'))).toEqual(
      Buffer.from([0x08, 14, 0x12, 5, ...Buffer.from('retry')]),
    );
  });
});
