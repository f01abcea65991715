import { createHash, createHmac, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ClickHouseClient } from '@clickhouse/client';
import { Client, Metadata, type ServiceError, credentials, status as GrpcStatus } from '@grpc/grpc-js';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace as otelApi } from '@opentelemetry/api';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import * as protobuf from 'protobufjs';
import { ApiKeysService } from '@th/access';
import { CLICKHOUSE } from '@th/store';
import { type TestApp, makeDataDir, removeDataDir, startTestApp } from './helpers/embedded-app';
import { freePort } from './helpers/free-port';
import { graphql, request } from './helpers/http';

/* eslint-disable @typescript-eslint/no-explicit-any -- tests read arbitrary JSON answers and rows */

// ---------------------------------------------------------------------------------------------
// Written independently of the app's code: the processor's id hash, the vendored .proto files
// loaded by protobufjs, the official OpenTelemetry SDK and exporters, a bare gRPC client.
// ---------------------------------------------------------------------------------------------

/** The telemetry processor's rule: sha256(id) hex, first 16 characters. */
const sha16 = (id: string) => createHash('sha256').update(id, 'utf8').digest('hex').slice(0, 16);

const PROTO_DIR = join(__dirname, '..', 'libs', 'otel-traces', 'proto');
const protoRoot = (() => {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(PROTO_DIR, target);
  root.loadSync(['opentelemetry/proto/collector/trace/v1/trace_service.proto', 'google/rpc/status.proto']);
  root.resolveAll();
  return root;
})();
const ExportRequest = protoRoot.lookupType(
  'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest',
);
const ExportResponse = protoRoot.lookupType(
  'opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse',
);
const RpcStatus = protoRoot.lookupType('google.rpc.Status');
const EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

/** An OTLP/JSON export → protobuf bytes (OTLP/JSON's hex ids become the proto's bytes). */
function toProtobuf(json: any): Uint8Array {
  const copy = structuredClone(json);
  for (const resourceSpans of copy.resourceSpans ?? []) {
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const span of scopeSpans.spans ?? []) {
        for (const field of ['traceId', 'spanId', 'parentSpanId']) {
          if (typeof span[field] === 'string') span[field] = Buffer.from(span[field], 'hex');
        }
      }
    }
  }
  return ExportRequest.encode(ExportRequest.fromObject(copy)).finish();
}

const fixture = () => JSON.parse(readFileSync(join(__dirname, 'fixtures', 'otlp-rhesis-spans.json'), 'utf8'));
const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** The fixture under a trace id of its own. */
function fixtureWithTrace(traceId: string): any {
  const body = fixture();
  for (const span of body.resourceSpans[0].scopeSpans[0].spans) span.traceId = traceId;
  return body;
}

interface RawAnswer {
  status: number;
  contentType: string;
  bytes: Buffer;
}

/** A POST whose answer is kept as bytes (protobuf answers). */
async function postRaw(url: string, body: Uint8Array | string, headers: Record<string, string>) {
  const response = await fetch(url, { method: 'POST', headers, body });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    bytes: Buffer.from(await response.arrayBuffer()),
  } satisfies RawAnswer;
}

/**
 * The OTLP/HTTP exporters load `http` with a dynamic `import()`, which Jest's module sandbox refuses
 * without --experimental-vm-modules: they are loaded unchanged by Node's own require instead (Jest
 * replaces `module.createRequire`; process.getBuiltinModule gives the real one), as an app loads them.
 */
const nodeRequire = process.getBuiltinModule('node:module').createRequire(__filename);
const { OTLPTraceExporter: HttpJsonTraceExporter } = nodeRequire(
  '@opentelemetry/exporter-trace-otlp-http',
) as typeof import('@opentelemetry/exporter-trace-otlp-http');
const { OTLPTraceExporter: HttpProtoTraceExporter } = nodeRequire(
  '@opentelemetry/exporter-trace-otlp-proto',
) as typeof import('@opentelemetry/exporter-trace-otlp-proto');

type ExportResult = Parameters<Parameters<SpanExporter['export']>[1]>[0];

/** One export call of an SDK exporter, as a promise of its ExportResult. */
const exportOnce = (exporter: SpanExporter, spans: ReadableSpan[]) =>
  new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));

/** Wraps an exporter to keep every ExportResult the SDK's span processor got from it. */
function recording(exporter: SpanExporter): { exporter: SpanExporter; results: ExportResult[] } {
  const results: ExportResult[] = [];
  return {
    results,
    exporter: {
      export: (spans, done) =>
        exporter.export(spans, (result) => {
          results.push(result);
          done(result);
        }),
      shutdown: () => exporter.shutdown(),
      forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
    },
  };
}

/** gRPC TraceService/Export with raw bytes, bypassing every OTLP library. */
function grpcExport(port: number, body: Uint8Array, metadata = new Metadata()) {
  const client = new Client(`127.0.0.1:${port}`, credentials.createInsecure());
  return new Promise<{ error: ServiceError | null; response?: Buffer }>((resolve) => {
    client.makeUnaryRequest(
      EXPORT_PATH,
      (bytes: Buffer) => bytes,
      (bytes: Buffer) => bytes,
      Buffer.from(body),
      metadata,
      { deadline: Date.now() + 10_000 },
      (error, response) => {
        client.close();
        resolve({ error, response });
      },
    );
  });
}

/** The ids a test sends, and the spans it made with the SDK. */
interface ShapedSpans {
  user: string;
  org: string;
  enduser: string;
  loginTraceId: string;
  serverTraceId: string;
  serverSpanId: string;
  featureSpanId: string;
  semconvTraceId: string;
}

/**
 * The processor's span shapes, made with the SDK's tracer at fixed times of `day` (so each test
 * reads its own period): a login, a SERVER span with the processor's http.* keys (120 ms) and a
 * child feature span, and a semantic-convention-only SERVER span answered 503 (250 ms).
 */
function makeShapedSpans(provider: BasicTracerProvider, day: string, tag: string): ShapedSpans {
  const tracer = provider.getTracer('otel-traces-e2e', '1.2.3');
  const t0 = Date.parse(`${day}T10:00:00.000Z`);
  const at = (ms: number) => new Date(t0 + ms);
  const user = `usr-${tag}-${hex(3)}`;
  const org = `org-${tag}-${hex(3)}`;
  const enduser = `end-${tag}-${hex(3)}`;

  const login = tracer.startSpan(
    'user.login',
    {
      kind: SpanKind.INTERNAL,
      startTime: at(0),
      attributes: {
        'event.category': 'user_activity',
        'event.type': 'login',
        'user.id': user,
        'organization.id': org,
        'session.id': `sess-${tag}`,
      },
    },
    ROOT_CONTEXT,
  );
  login.end(at(5));

  const server = tracer.startSpan(
    'http.GET./api/v1/items',
    {
      kind: SpanKind.SERVER,
      startTime: at(1_000),
      attributes: {
        'http.method': 'GET',
        'http.route': '/api/v1/items',
        'http.status_code': 200,
        'user.id': user,
        'organization.id': org,
      },
    },
    ROOT_CONTEXT,
  );
  const feature = tracer.startSpan(
    'feature.reports',
    {
      kind: SpanKind.INTERNAL,
      startTime: at(1_010),
      attributes: { 'feature.name': 'reports', 'feature.action': 'viewed', 'user.id': user },
    },
    otelApi.setSpan(ROOT_CONTEXT, server),
  );
  feature.end(at(1_050));
  server.end(at(1_120));

  const semconv = tracer.startSpan(
    'GET /api/v2/health',
    {
      kind: SpanKind.SERVER,
      startTime: at(2_000),
      attributes: {
        'http.request.method': 'GET',
        'http.route': '/api/v2/health',
        'http.response.status_code': 503,
        'enduser.id': enduser,
      },
    },
    ROOT_CONTEXT,
  );
  semconv.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream down' });
  semconv.end(at(2_250));

  return {
    user,
    org,
    enduser,
    loginTraceId: login.spanContext().traceId,
    serverTraceId: server.spanContext().traceId,
    serverSpanId: server.spanContext().spanId,
    featureSpanId: feature.spanContext().spanId,
    semconvTraceId: semconv.spanContext().traceId,
  };
}

const providerFor = (service: string, processor: SpanProcessor) =>
  new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service, 'deployment.type': 'cloud' }),
    spanProcessors: [processor],
  });

const USAGE = `
  query ($from: String!, $to: String!, $service: String) {
    endpointUsage(from: $from, to: $to, service: $service) {
      endpoint
      method
      serviceName
      calls
      errors
      errorRate
      meanMs
      p50Ms
      p95Ms
      p99Ms
    }
    featureUsage(from: $from, to: $to) {
      featureName
      action
      uses
      distinctUsers
    }
    userActivity(from: $from, to: $to) {
      activeUsers
      dailyActiveUsers {
        day
        users
      }
      eventsByType {
        eventType
        events
        distinctUsers
      }
    }
    traces(from: $from, to: $to, service: $service) {
      totalCount
      items {
        traceId
        spanCount
        status
      }
    }
  }
`;

const TRACE = `
  query ($id: String!) {
    trace(traceId: $id) {
      traceId
      spanCount
      rootName
      serviceName
      status
      errorCount
      durationMs
      spans {
        spanId
        parentSpanId
        name
      }
      roots {
        spanId
        parentSpanId
        name
        kind
        durationMs
        statusCode
        serviceName
        scopeName
        scopeVersion
        attributes {
          key
          value
        }
        children {
          spanId
          parentSpanId
          name
          kind
          durationMs
          attributes {
            key
            value
          }
          children {
            spanId
          }
        }
      }
    }
  }
`;

const attributeMap = (list: { key: string; value: string }[]) =>
  Object.fromEntries(list.map(({ key, value }) => [key, value]));

describe('OpenTelemetry traces over OTLP/HTTP and OTLP/gRPC (embedded)', () => {
  const dataDir = makeDataDir();
  let app: TestApp;
  let grpcPort: number;
  /** Base URL on the loopback address the app listens on. */
  let base: string;

  beforeAll(async () => {
    grpcPort = await freePort();
    app = await startTestApp(dataDir, { OTLP_GRPC_PORT: String(grpcPort) });
    base = `http://127.0.0.1:${app.port}`;
  });

  afterAll(async () => {
    await app?.stop();
    removeDataDir(dataDir);
  });

  const clickhouse = () => app.app.get<ClickHouseClient>(CLICKHOUSE);
  const rows = async (query: string, params: Record<string, unknown> = {}): Promise<any[]> =>
    (await clickhouse().query({ query, query_params: params, format: 'JSONEachRow' })).json();
  const gql = async (query: string, variables: Record<string, unknown>) => {
    const answer = await graphql(base, query, variables);
    expect(answer.errors).toBeUndefined();
    return answer.data;
  };
  const postJson = (body: unknown, headers: Record<string, string> = {}) =>
    request(`${base}/v1/traces`, { body, headers });
  const postProtobuf = (bytes: Uint8Array, headers: Record<string, string> = {}) =>
    postRaw(`${base}/v1/traces`, bytes, { 'content-type': 'application/x-protobuf', ...headers });

  /** What GraphQL and ClickHouse say about the shaped spans of one test, sent once (or resent). */
  async function expectShapedSpansCountedOnce(service: string, day: string, sent: ShapedSpans) {
    const usage = await gql(USAGE, { from: day, to: day, service });
    expect(usage.endpointUsage).toEqual([
      expect.objectContaining({
        endpoint: '/api/v1/items',
        method: 'GET',
        serviceName: service,
        calls: 1,
        errors: 0,
        errorRate: 0,
      }),
      expect.objectContaining({
        endpoint: '/api/v2/health',
        method: 'GET',
        serviceName: service,
        calls: 1,
        errors: 1,
        errorRate: 1,
      }),
    ]);
    // No duration_ms attribute: the span's own duration.
    for (const [row, ms] of [
      [usage.endpointUsage[0], 120],
      [usage.endpointUsage[1], 250],
    ] as const) {
      for (const figure of ['meanMs', 'p50Ms', 'p95Ms', 'p99Ms']) expect(row[figure]).toBeCloseTo(ms, 3);
    }
    expect(usage.featureUsage).toEqual([
      { featureName: 'reports', action: 'viewed', uses: 1, distinctUsers: 1 },
    ]);
    expect(usage.userActivity).toEqual({
      // The user (login, call, feature) and the semconv span's enduser.
      activeUsers: 2,
      dailyActiveUsers: [{ day, users: 2 }],
      eventsByType: [{ eventType: 'login', events: 1, distinctUsers: 1 }],
    });
    expect(usage.traces.totalCount).toBe(3);
    expect(
      Object.fromEntries(usage.traces.items.map((t: any) => [t.traceId, [t.spanCount, t.status]])),
    ).toEqual({
      [sent.loginTraceId]: [1, 'UNSET'],
      [sent.serverTraceId]: [2, 'UNSET'],
      [sent.semconvTraceId]: [1, 'ERROR'],
    });

    const { trace } = await gql(TRACE, { id: sent.serverTraceId });
    expect(trace).toMatchObject({
      traceId: sent.serverTraceId,
      spanCount: 2,
      rootName: 'http.GET./api/v1/items',
      serviceName: service,
      status: 'UNSET',
      errorCount: 0,
    });
    expect(trace.durationMs).toBeCloseTo(120, 3);
    expect(trace.roots).toHaveLength(1);
    const [root] = trace.roots;
    expect(root).toMatchObject({
      spanId: sent.serverSpanId,
      parentSpanId: null,
      kind: 'SERVER',
      serviceName: service,
      scopeName: 'otel-traces-e2e',
      scopeVersion: '1.2.3',
    });
    expect(root.durationMs).toBeCloseTo(120, 3);
    expect(attributeMap(root.attributes)).toMatchObject({
      'http.method': 'GET',
      'http.route': '/api/v1/items',
      'http.status_code': '200',
      'user.id': sha16(sent.user),
      'organization.id': sha16(sent.org),
    });
    expect(root.children).toEqual([
      expect.objectContaining({
        spanId: sent.featureSpanId,
        parentSpanId: sent.serverSpanId,
        name: 'feature.reports',
        kind: 'INTERNAL',
        children: [],
      }),
    ]);
    expect(attributeMap(root.children[0].attributes)).toMatchObject({ 'user.id': sha16(sent.user) });

    const semconv = (await gql(TRACE, { id: sent.semconvTraceId })).trace;
    expect(semconv.spanCount).toBe(1);
    expect(semconv.roots[0]).toMatchObject({ kind: 'SERVER', statusCode: 'ERROR' });
    expect(attributeMap(semconv.roots[0].attributes)['enduser.id']).toBe(sha16(sent.enduser));

    // The analytics rows carry the hashes; the raw ids are nowhere, in GraphQL or in ClickHouse.
    const traceIds = [sent.loginTraceId, sent.serverTraceId, sent.semconvTraceId];
    const stored = {
      spans: await rows('SELECT * FROM spans FINAL WHERE trace_id IN {t:Array(String)}', { t: traceIds }),
      user_activity: await rows('SELECT * FROM user_activity FINAL WHERE trace_id IN {t:Array(String)}', {
        t: traceIds,
      }),
      endpoint_usage: await rows(
        'SELECT * FROM endpoint_usage FINAL WHERE trace_id IN {t:Array(String)} ORDER BY endpoint',
        { t: traceIds },
      ),
      feature_usage: await rows('SELECT * FROM feature_usage FINAL WHERE trace_id IN {t:Array(String)}', {
        t: traceIds,
      }),
    };
    expect(stored.spans).toHaveLength(4);
    expect(stored.user_activity).toEqual([
      expect.objectContaining({
        service_name: service,
        user_id: sha16(sent.user),
        organization_id: sha16(sent.org),
        event_type: 'login',
        deployment_type: 'cloud',
      }),
    ]);
    expect(stored.endpoint_usage.map((r) => [r.endpoint, r.method, r.status_code, r.user_id])).toEqual([
      ['/api/v1/items', 'GET', 200, sha16(sent.user)],
      ['/api/v2/health', 'GET', 503, sha16(sent.enduser)],
    ]);
    expect(stored.feature_usage.map((r) => [r.feature_name, r.action, r.user_id])).toEqual([
      ['reports', 'viewed', sha16(sent.user)],
    ]);
    const everything = JSON.stringify([usage, trace, semconv, stored]);
    for (const raw of [sent.user, sent.org, sent.enduser]) expect(everything).not.toContain(raw);
  }

  it("stores the processor's sample export (JSON, then protobuf) with its columns and hashed ids; resending changes no count", async () => {
    const jsonTraceId = '5b8efff798038103d269b633813fc60c';
    const protoTraceId = hex(16);
    const json = fixtureWithTrace(jsonTraceId);
    const first = await postJson(json);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({});

    const ua = await rows('SELECT * FROM user_activity FINAL WHERE trace_id = {t:String}', {
      t: jsonTraceId,
    });
    const shared = {
      trace_id: jsonTraceId,
      service_name: 'rhesis-backend',
      user_id: '6d894aa3ee802549',
      organization_id: 'a81e9bd7c3b4d32c',
      deployment_type: 'self-hosted',
    };
    expect(sha16('user-42')).toBe(shared.user_id);
    expect(sha16('org-7')).toBe(shared.organization_id);
    expect(ua).toEqual([
      expect.objectContaining({
        ...shared,
        span_id: 'eee19b7ec3c1b174',
        event_type: 'login',
        session_id: 'sess-abc',
        timestamp: expect.stringMatching(/^2026-03-02[ T]09:00:00(\.0+)?Z?$/),
      }),
    ]);
    const resourceMetadata = {
      'service.name': 'rhesis-backend',
      'service.namespace': 'rhesis',
      'service.version': '0.4.2',
    };
    expect(JSON.parse(ua[0].event_metadata)).toEqual({
      ...resourceMetadata,
      'metadata.login_method': 'password',
    });

    const eu = await rows('SELECT * FROM endpoint_usage FINAL WHERE trace_id = {t:String}', {
      t: jsonTraceId,
    });
    expect(eu).toEqual([
      expect.objectContaining({
        ...shared,
        span_id: 'eee19b7ec3c1b175',
        endpoint: '/api/v1/projects',
        method: 'GET',
        status_code: 200,
        duration_ms: 41.7,
        timestamp: expect.stringMatching(/^2026-03-02[ T]09:00:01(\.0+)?Z?$/),
      }),
    ]);
    const euMetadata = JSON.parse(eu[0].event_metadata);
    expect(euMetadata).toMatchObject(resourceMetadata);
    for (const mapped of [
      'event.category',
      'http.method',
      'http.route',
      'http.status_code',
      'duration_ms',
      'user.id',
      'organization.id',
      'deployment.type',
    ])
      expect(euMetadata).not.toHaveProperty([mapped]);

    const fu = await rows('SELECT * FROM feature_usage FINAL WHERE trace_id = {t:String}', {
      t: jsonTraceId,
    });
    expect(fu).toEqual([
      expect.objectContaining({
        ...shared,
        span_id: 'eee19b7ec3c1b176',
        feature_name: 'test_sets',
        action: 'created',
        timestamp: expect.stringMatching(/^2026-03-02[ T]09:00:01\.010*Z?$/),
      }),
    ]);
    expect(JSON.parse(fu[0].event_metadata)).toEqual(resourceMetadata);

    const spans = await rows('SELECT * FROM spans FINAL WHERE trace_id = {t:String} ORDER BY span_id', {
      t: jsonTraceId,
    });
    expect(spans.map((s) => [s.span_id, s.parent_span_id, s.kind, s.duration_ns, s.routed_to])).toEqual([
      ['eee19b7ec3c1b174', '', 'INTERNAL', '5000000', ['user_activity']],
      ['eee19b7ec3c1b175', '', 'SERVER', '42000000', ['endpoint_usage']],
      ['eee19b7ec3c1b176', 'eee19b7ec3c1b175', 'INTERNAL', '20000000', ['feature_usage']],
    ]);
    expect(spans[2]).toMatchObject({
      name: 'feature.test_sets',
      status_code: 'UNSET',
      scope_name: 'rhesis.telemetry',
      attributes: {
        'feature.name': 'test_sets',
        'user.id': shared.user_id,
        'organization.id': shared.organization_id,
      },
      resource_attributes: { 'service.name': 'rhesis-backend', 'deployment.type': 'self-hosted' },
    });

    // The same export as protobuf, under another trace id: the same rows but for the trace id.
    const proto = await postProtobuf(toProtobuf(fixtureWithTrace(protoTraceId)));
    expect(proto.status).toBe(200);
    expect(proto.contentType).toContain('application/x-protobuf');
    expect(ExportResponse.toObject(ExportResponse.decode(proto.bytes))).toEqual({});
    const comparable = async (table: string, traceId: string) =>
      (
        await rows(`SELECT * FROM ${table} FINAL WHERE trace_id = {t:String} ORDER BY span_id`, {
          t: traceId,
        })
      ).map(({ trace_id: _t, received_at: _r, version: _v, ...rest }) => rest);
    for (const table of ['spans', 'user_activity', 'endpoint_usage', 'feature_usage']) {
      const viaProto = await comparable(table, protoTraceId);
      expect(viaProto.length).toBeGreaterThan(0);
      expect(viaProto).toEqual(await comparable(table, jsonTraceId));
    }

    // Raw ids are in no column of any table.
    for (const table of ['spans', 'user_activity', 'endpoint_usage', 'feature_usage']) {
      const text = await (
        await clickhouse().query({ query: `SELECT * FROM ${table} FINAL`, format: 'JSONEachRow' })
      ).text();
      expect(text).toContain('6d894aa3ee802549');
      expect(text).not.toMatch(/user-42|org-7/);
    }

    const counts = async () => {
      const usage = await gql(USAGE, { from: '2026-03-02', to: '2026-03-02', service: 'rhesis-backend' });
      const traces = await Promise.all(
        [jsonTraceId, protoTraceId].map(async (id) => (await gql(TRACE, { id })).trace.spanCount),
      );
      return { ...usage, traces };
    };
    const before = await counts();
    expect(before.endpointUsage).toEqual([
      expect.objectContaining({
        endpoint: '/api/v1/projects',
        method: 'GET',
        calls: 2,
        errorRate: 0,
        p95Ms: 41.7,
      }),
    ]);
    expect(before.featureUsage).toEqual([
      { featureName: 'test_sets', action: 'created', uses: 2, distinctUsers: 1 },
    ]);
    expect(before.userActivity).toMatchObject({
      activeUsers: 1,
      eventsByType: [{ eventType: 'login', events: 2, distinctUsers: 1 }],
    });
    expect(before.traces).toEqual([3, 3]);

    expect((await postJson(json)).body).toEqual({});
    expect((await postProtobuf(toProtobuf(fixtureWithTrace(protoTraceId)))).status).toBe(200);
    expect(await counts()).toEqual(before);
  });

  /** Each exporter with a day of its own: featureUsage and userActivity are read per period. */
  const exporters: [string, string, () => SpanExporter][] = [
    ['OTLP/HTTP JSON', '2025-01-10', () => new HttpJsonTraceExporter({ url: `${base}/v1/traces` })],
    ['OTLP/HTTP protobuf', '2025-01-11', () => new HttpProtoTraceExporter({ url: `${base}/v1/traces` })],
    ['OTLP/gRPC', '2025-01-12', () => new GrpcTraceExporter({ url: `http://127.0.0.1:${grpcPort}` })],
    [
      'OTLP/gRPC with gzip',
      '2025-01-13',
      () =>
        new GrpcTraceExporter({
          url: `http://127.0.0.1:${grpcPort}`,
          compression: 'gzip' as NonNullable<
            ConstructorParameters<typeof GrpcTraceExporter>[0]
          >['compression'],
        }),
    ],
  ];

  it.each(exporters)(
    'takes the official SDK exporter unchanged: %s, read back over GraphQL',
    async (name, day, makeExporter) => {
      const tag = name.replace(/[^a-z]+/gi, '-').toLowerCase();
      const service = `e2e-${tag}-${hex(2)}`;
      const { exporter, results } = recording(makeExporter());
      const provider = providerFor(service, new SimpleSpanProcessor(exporter));
      const sent = makeShapedSpans(provider, day, tag);
      await provider.forceFlush();
      await provider.shutdown();
      expect(results.map((r) => [r.code, r.error?.message])).toEqual(Array(4).fill([0, undefined]));
      await expectShapedSpansCountedOnce(service, day, sent);
    },
  );

  it('counts each span once when an export is retried over gRPC and over HTTP with the same protobuf body', async () => {
    const day = '2025-01-20';
    const service = `e2e-retries-${hex(2)}`;
    const memory = new InMemorySpanExporter();
    const provider = providerFor(service, new SimpleSpanProcessor(memory));
    const sent = makeShapedSpans(provider, day, 'retry');
    await provider.forceFlush();
    const spans = memory.getFinishedSpans();
    expect(spans).toHaveLength(4);

    const grpc = new GrpcTraceExporter({ url: `http://127.0.0.1:${grpcPort}` });
    for (let attempt = 0; attempt < 2; attempt++) {
      const result = await exportOnce(grpc, spans);
      expect([result.code, result.error?.message]).toEqual([0, undefined]);
    }
    await grpc.shutdown();
    const body = ProtobufTraceSerializer.serializeRequest(spans);
    expect(body).toBeDefined();
    for (let attempt = 0; attempt < 2; attempt++) {
      expect((await postProtobuf(body!)).status).toBe(200);
    }
    await provider.shutdown();
    await expectShapedSpansCountedOnce(service, day, sent);
  });

  it('refuses bad input with the right status and keeps every good span', async () => {
    const start = BigInt(Date.parse('2025-01-25T08:00:00Z')) * 1_000_000n;
    const traceId = hex(16);
    const goodIds = [hex(8), hex(8)];
    const span = (overrides: Record<string, unknown> = {}) => ({
      traceId,
      spanId: hex(8),
      name: 'bad-input.good',
      kind: 2,
      startTimeUnixNano: String(start),
      endTimeUnixNano: String(start + 7_000_000n),
      attributes: [
        { key: 'http.method', value: { stringValue: 'POST' } },
        { key: 'http.route', value: { stringValue: '/bad-input' } },
      ],
      ...overrides,
    });
    const exportOf = (spans: unknown[]) => ({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: `e2e-bad-${traceId}` } }] },
          scopeSpans: [{ scope: { name: 'e2e' }, spans }],
        },
      ],
    });
    const mixed = exportOf([
      span({ spanId: goodIds[0] }),
      span({ traceId: 'zz'.repeat(16) }),
      span({ traceId: '0'.repeat(32) }),
      span({ endTimeUnixNano: String(start - 1n) }),
      span({
        attributes: Array.from({ length: 10_000 }, (_, i) => ({ key: `k${i}`, value: { intValue: i } })),
      }),
      span({ attributes: [{ key: 'big', value: { stringValue: 'x'.repeat(16_385) } }] }),
      span({
        spanId: goodIds[1],
        parentSpanId: goodIds[0],
        name: 'bad-input.child',
        startTimeUnixNano: String(start + 1_000_000n),
      }),
    ]);
    const partial = await postJson(mixed);
    expect(partial.status).toBe(200);
    expect(partial.body.partialSuccess.rejectedSpans).toBe(5);
    const message: string = partial.body.partialSuccess.errorMessage;
    expect(message).toMatch(/^5 span\(s\) rejected: /);
    expect(message).toContain('spans[1]: traceId');
    expect(message).toContain('spans[2]: traceId must not be all zeros');
    expect(message).toContain('spans[3]: endTimeUnixNano is before startTimeUnixNano');
    expect(message).toContain('spans[4]: has 10000 attributes');
    expect(message).toContain('spans[5]: attribute "big" is longer than 16384 characters');
    expect(message).not.toMatch(/spans\[[06]\]/);
    const { trace } = await gql(TRACE, { id: traceId });
    expect(trace.spans.map((s: any) => [s.spanId, s.parentSpanId])).toEqual([
      [goodIds[0], null],
      [goodIds[1], goodIds[0]],
    ]);

    // The same over protobuf: the answer is an ExportTraceServiceResponse with partial_success.
    const protoGoodId = hex(8);
    const protoPartial = await postProtobuf(
      toProtobuf(
        exportOf([
          span({ spanId: protoGoodId, name: 'bad-input.protobuf' }),
          span({ spanId: '0'.repeat(16) }),
          span({ endTimeUnixNano: String(start - 1n) }),
        ]),
      ),
    );
    expect(protoPartial.status).toBe(200);
    expect(protoPartial.contentType).toContain('application/x-protobuf');
    expect(ExportResponse.toObject(ExportResponse.decode(protoPartial.bytes), { longs: Number })).toEqual({
      partialSuccess: {
        rejectedSpans: 2,
        errorMessage: expect.stringMatching(
          /^2 span\(s\) rejected: .*spans\[1\]: spanId must not be all zeros; .*spans\[2\]: endTimeUnixNano/,
        ),
      },
    });

    // Only bad spans: nothing to keep, and resending cannot help.
    const allBad = await postJson(
      exportOf([span({ traceId: '0'.repeat(32) }), span({ spanId: 'nothex!!' })]),
    );
    expect(allBad.status).toBe(400);
    expect(allBad.body).toMatchObject({ code: 3, message: expect.stringContaining('2 span(s) rejected') });

    const corrupt = await postProtobuf(Buffer.from('0aff01', 'hex'));
    expect(corrupt.status).toBe(400);
    expect(corrupt.contentType).toContain('application/x-protobuf');
    const status = RpcStatus.toObject(RpcStatus.decode(corrupt.bytes)) as { code: number; message: string };
    expect(status.code).toBe(3);
    expect(status.message).toContain('not a valid protobuf ExportTraceServiceRequest');

    const invalidJson = await request(`${base}/v1/traces`, {
      raw: '{"resourceSpans": [',
      headers: { 'content-type': 'application/json' },
    });
    expect(invalidJson.status).toBe(400);
    expect(invalidJson.body).toMatchObject({ code: 3, message: expect.any(String) });

    const tooLarge = await postJson({ ...exportOf([span()]), padding: 'x'.repeat(1_100_000) });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body).toMatchObject({ code: 8, message: expect.any(String) });

    const text = await request(`${base}/v1/traces`, {
      raw: 'resourceSpans',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
    expect(text.body).toMatchObject({ code: 3, message: expect.stringContaining('application/x-protobuf') });

    const gzipId = hex(8);
    const gzip = await request(`${base}/v1/traces`, {
      raw: gzipSync(JSON.stringify(exportOf([span({ spanId: gzipId, name: 'bad-input.gzip' })]))),
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect(gzip.status).toBe(200);
    expect(gzip.body).toEqual({});

    const garbage = await grpcExport(grpcPort, Buffer.from('0aff01', 'hex'));
    expect(garbage.error?.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(garbage.error?.details).toContain('not a valid protobuf');

    // Nothing good was lost along the way: the two good spans and the gzip one, each once.
    const stored = await rows(
      'SELECT span_id, name FROM spans FINAL WHERE trace_id = {t:String} ORDER BY name',
      { t: traceId },
    );
    expect(stored).toEqual([
      { span_id: goodIds[1], name: 'bad-input.child' },
      { span_id: goodIds[0], name: 'bad-input.good' },
      { span_id: gzipId, name: 'bad-input.gzip' },
      { span_id: protoGoodId, name: 'bad-input.protobuf' },
    ]);
  });

  it('reads a closed day from its rollup exactly: the same answer before and after, a resend adds nothing, a late span is counted', async () => {
    // A closed day of its own (a date-time window of whole days reads the rollup once it is quiet).
    const day = `2025-0${1 + (Date.now() % 9)}-1${Date.now() % 10}`;
    const service = `rollup-${hex(4)}`;
    const span = (spanId: string, status: number) => ({
      traceId: hex(16),
      spanId,
      name: 'GET /orders',
      kind: 2,
      startTimeUnixNano: String(BigInt(Date.parse(`${day}T08:00:00Z`)) * 1_000_000n),
      endTimeUnixNano: String(BigInt(Date.parse(`${day}T08:00:00.250Z`)) * 1_000_000n),
      attributes: [
        { key: 'http.method', value: { stringValue: 'GET' } },
        { key: 'http.route', value: { stringValue: '/orders' } },
        { key: 'http.status_code', value: { intValue: status } },
      ],
    });
    const exportOf = (...spans: unknown[]) => ({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
          scopeSpans: [{ spans }],
        },
      ],
    });
    const first = exportOf(span('a000000000000001', 200), span('a000000000000002', 503));
    expect((await postJson(first)).status).toBe(200);
    const usage = async () =>
      (await gql(USAGE, { from: day, to: day, service })).endpointUsage.map((e: any) => [
        e.calls,
        e.errors,
        e.p50Ms,
      ]);
    expect(await usage()).toEqual([[2, 1, 250]]); // read live: the day was written just now
    await new Promise((resolve) => setTimeout(resolve, 5_500)); // the day is quiet: rolled up
    expect(await usage()).toEqual([[2, 1, 250]]);
    const rollups = await rows('SELECT count() AS n FROM endpoint_usage_days WHERE day = {day:Date}', {
      day,
    });
    expect(Number(rollups[0].n)).toBeGreaterThan(0);

    expect((await postJson(first)).status).toBe(200); // a resend into the rolled-up day
    expect(await usage()).toEqual([[2, 1, 250]]);
    expect((await postJson(exportOf(span('a000000000000003', 200)))).status).toBe(200); // a late span
    expect(await usage()).toEqual([[3, 1, 250]]);
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    expect(await usage()).toEqual([[3, 1, 250]]);
  });

  it('lists the gRPC receiver as ready in /ready', async () => {
    const ready = await request(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body.checks['otlp-grpc']).toEqual({ ok: true });
  });
});

describe('OpenTelemetry traces with OTEL_API_KEY and keyed id hashes (embedded)', () => {
  const dataDir = makeDataDir();
  const key = `e2e-key-${hex(8)}`;
  const secret = `e2e-hmac-secret-${hex(8)}`;
  let app: TestApp;
  let grpcPort: number;
  let base: string;

  beforeAll(async () => {
    grpcPort = await freePort();
    app = await startTestApp(dataDir, {
      OTLP_GRPC_PORT: String(grpcPort),
      OTEL_API_KEY: key,
      OTEL_ID_HASH: 'hmac',
      OTEL_ID_HASH_SECRET: secret,
    });
    base = `http://127.0.0.1:${app.port}`;
  });

  afterAll(async () => {
    await app?.stop();
    removeDataDir(dataDir);
  });

  it('takes an export only with the right x-api-key, over HTTP and gRPC; ids get the keyed hash', async () => {
    const traceId = hex(16);
    const user = `usr-keyed-${hex(3)}`;
    const body = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'e2e-keyed' } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId,
                  spanId: hex(8),
                  name: 'user.activity',
                  startTimeUnixNano: '1736000000000000000',
                  endTimeUnixNano: '1736000000001000000',
                  attributes: [
                    { key: 'event.type', value: { stringValue: 'login' } },
                    { key: 'user.id', value: { stringValue: user } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    const post = (headers: Record<string, string>) => request(`${base}/v1/traces`, { body, headers });

    const missing = await post({});
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ code: 16, message: expect.stringContaining('missing x-api-key') });
    const wrong = await post({ 'x-api-key': `${key}x` });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ code: 16, message: 'invalid x-api-key' });
    expect(JSON.stringify(wrong.body)).not.toContain(key);
    const protoMissing = await postRaw(`${base}/v1/traces`, toProtobuf(body), {
      'content-type': 'application/x-protobuf',
    });
    expect(protoMissing.status).toBe(401);
    expect((RpcStatus.toObject(RpcStatus.decode(protoMissing.bytes)) as { code: number }).code).toBe(16);
    const right = await post({ 'x-api-key': key });
    expect(right.status).toBe(200);
    expect(right.body).toEqual({});

    const grpcBody = toProtobuf({
      ...body,
      resourceSpans: [
        {
          ...body.resourceSpans[0],
          scopeSpans: [{ spans: [{ ...body.resourceSpans[0].scopeSpans[0].spans[0], spanId: hex(8) }] }],
        },
      ],
    });
    const unauthenticated = await grpcExport(grpcPort, grpcBody);
    expect(unauthenticated.error?.code).toBe(GrpcStatus.UNAUTHENTICATED);
    const withKey = new Metadata();
    withKey.set('x-api-key', key);
    const authenticated = await grpcExport(grpcPort, grpcBody, withKey);
    expect(authenticated.error).toBeNull();
    expect(ExportResponse.toObject(ExportResponse.decode(authenticated.response!))).toEqual({});

    // The official exporter, with and without its metadata option.
    const memory = new InMemorySpanExporter();
    const provider = providerFor('e2e-keyed-sdk', new SimpleSpanProcessor(memory));
    provider
      .getTracer('e2e')
      .startSpan('keyed', { attributes: { 'user.id': user } }, ROOT_CONTEXT)
      .end();
    await provider.forceFlush();
    const spans = memory.getFinishedSpans();
    const sdkTraceId = spans[0].spanContext().traceId;
    const anonymous = new GrpcTraceExporter({ url: `http://127.0.0.1:${grpcPort}` });
    const refused = await exportOnce(anonymous, spans);
    await anonymous.shutdown();
    expect(refused.code).toBe(1);
    expect((refused.error as ServiceError | undefined)?.code).toBe(GrpcStatus.UNAUTHENTICATED);
    const metadata = new Metadata();
    metadata.set('x-api-key', key);
    const keyed = new GrpcTraceExporter({ url: `http://127.0.0.1:${grpcPort}`, metadata });
    const accepted = await exportOnce(keyed, spans);
    await keyed.shutdown();
    await provider.shutdown();
    expect([accepted.code, accepted.error?.message]).toEqual([0, undefined]);

    const client = app.app.get<ClickHouseClient>(CLICKHOUSE);
    const stored: any[] = await (
      await client.query({
        query: `SELECT trace_id, attributes['user.id'] AS user_hash FROM spans FINAL
                WHERE trace_id IN {t:Array(String)} ORDER BY trace_id`,
        query_params: { t: [traceId, sdkTraceId] },
        format: 'JSONEachRow',
      })
    ).json();
    const keyedHash = createHmac('sha256', secret).update(user, 'utf8').digest('hex').slice(0, 16);
    // HTTP and gRPC spans of the first trace (2), the SDK's span (1): each with the keyed hash.
    expect(stored.map((r) => r.user_hash)).toEqual([keyedHash, keyedHash, keyedHash]);
    expect(keyedHash).not.toBe(sha16(user));
    const activity: any[] = await (
      await client.query({
        query: 'SELECT user_id FROM user_activity FINAL WHERE trace_id = {t:String}',
        query_params: { t: traceId },
        format: 'JSONEachRow',
      })
    ).json();
    expect(activity).toEqual([{ user_id: keyedHash }, { user_id: keyedHash }]);
  });
});

describe('OpenTelemetry traces: the OTLP/gRPC port (embedded)', () => {
  it('does not start when the port is taken, says what to set, and closes what it had opened', async () => {
    const dataDir = makeDataDir();
    const nextDataDir = makeDataDir();
    // What a developer's own OTel Collector on 4317 would be.
    const holder = createServer().listen(0, '127.0.0.1');
    await once(holder, 'listening');
    const { port } = holder.address() as AddressInfo;
    try {
      await expect(startTestApp(dataDir, { OTLP_GRPC_PORT: String(port) })).rejects.toThrow(
        /OTLP\/gRPC receiver cannot listen on 127\.0\.0\.1:\d+ .*set OTLP_GRPC_PORT to a free port, or to 0/,
      );
      // The failed app closed its store: chDB takes one data directory per process, so another
      // app in this process starts (it could not if the first session were still open).
      const next = await startTestApp(nextDataDir);
      await next.stop();
    } finally {
      holder.close();
      removeDataDir(dataDir);
      removeDataDir(nextDataDir);
    }
  });
});

describe('OpenTelemetry traces with INGEST_AUTH=required (embedded)', () => {
  it('asks OTLP/HTTP and OTLP/gRPC exporters for an ingest key, as every telemetry route', async () => {
    const dataDir = makeDataDir();
    const grpcPort = await freePort();
    const app = await startTestApp(dataDir, { OTLP_GRPC_PORT: String(grpcPort), INGEST_AUTH: 'required' });
    try {
      const keys = app.app.get(ApiKeysService);
      const ingest = (await keys.issueAccessKey('collector', ['ingest'])).key;
      const read = (await keys.issueAccessKey('grafana', ['read'])).key;
      const body = {
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'e2e-ingest-key' } }] },
            scopeSpans: [
              {
                spans: [
                  {
                    traceId: hex(16),
                    spanId: hex(8),
                    name: 'GET /x',
                    startTimeUnixNano: '1736000000000000000',
                    endTimeUnixNano: '1736000000001000000',
                  },
                ],
              },
            ],
          },
        ],
      };
      const post = (headers: Record<string, string>) => request(`${app.url}/v1/traces`, { body, headers });
      expect((await post({})).status).toBe(401);
      expect((await post({ authorization: `Bearer ${read}` })).status).toBe(403);
      expect((await post({ authorization: `Bearer ${ingest}` })).status).toBe(200);

      const grpcBody = toProtobuf(body);
      expect((await grpcExport(grpcPort, grpcBody)).error?.code).toBe(GrpcStatus.UNAUTHENTICATED);
      const withRead = new Metadata();
      withRead.set('authorization', `Bearer ${read}`);
      expect((await grpcExport(grpcPort, grpcBody, withRead)).error?.code).toBe(GrpcStatus.PERMISSION_DENIED);
      const withIngest = new Metadata();
      withIngest.set('x-api-key', ingest);
      expect((await grpcExport(grpcPort, grpcBody, withIngest)).error).toBeNull();
    } finally {
      await app.stop();
      removeDataDir(dataDir);
    }
  });
});
