import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import { join } from 'node:path';
import { DiagLogLevel, type HrTime, SpanKind, context, diag, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import * as protobuf from 'protobufjs';
import { makeDataDir, removeDataDir } from '../helpers/embedded-app';
import {
  type ProjectorProcess,
  type RunningRole,
  eventually,
  spawnProjector,
  startGateway,
  uniqueGroup,
} from '../helpers/distributed';
import { graphql, request } from '../helpers/http';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startKafka } = require('../../deploy/local/kafka/kafka-local') as {
  startKafka(opts?: { dataDir?: string; port?: number; controllerPort?: number }): Promise<LocalBroker>;
};

interface LocalBroker {
  bootstrap: string;
  dataDir: string;
  port: number;
  controllerPort: number;
  stop(opts?: { removeDataDir?: boolean }): Promise<void>;
}

const fixture = JSON.parse(readFileSync(join(__dirname, '../fixtures/devlake-report.json'), 'utf8'));

/** google.rpc.Status, read with the vendored definition (OTLP/HTTP's error body in protobuf). */
const RpcStatus = (() => {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(__dirname, '../../libs/otel-traces/proto', target);
  root.loadSync('google/rpc/status.proto');
  return root.lookupType('google.rpc.Status');
})();

/** gRPC's UNAVAILABLE: the code OTLP exporters retry. */
const UNAVAILABLE = 14;
/** ExportResultCode.SUCCESS of @opentelemetry/core (what an exporter's callback is given). */
const EXPORT_SUCCESS = 0;
const OTLP_SPANS = 30;

/**
 * The official OTLP/HTTP protobuf exporter, as an instrumented Node app runs it. Its transport
 * loads `http.request` with a dynamic `import('http')`, which Jest's module sandbox refuses
 * without --experimental-vm-modules: the same function is handed to it up front, so everything
 * else (encoding, status handling, Retry-After, retries) is the exporter's own.
 */
function officialExporter(url: string, timeoutMillis: number): OTLPTraceExporter {
  const exporter = new OTLPTraceExporter({ url, timeoutMillis });
  const transport = (
    exporter as unknown as { _delegate?: { _transport?: { _transport?: { _utils?: unknown } } } }
  )._delegate?._transport?._transport;
  if (!transport || transport._utils !== null) {
    throw new Error('OTLPTraceExporter internals changed: update officialExporter() in this suite');
  }
  transport._utils = { agent: new http.Agent({ keepAlive: false }), request: http.request };
  return exporter;
}

/** One trace of OTLP_SPANS spans, made by the official SDK at a random second of 2021-2023. */
function otlpTrace(): { spans: ReadableSpan[]; marker(): ReadableSpan[] } {
  const exporter = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'outage-checkout' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  }).getTracer('broker-outage-suite');
  const startMs = Date.UTC(2021, 0, 1) + Math.floor(Math.random() * 86_400_000) * 1_000;
  const at = (ms: number): HrTime => [Math.floor(ms / 1000), (ms % 1000) * 1_000_000];
  const root = tracer.startSpan('GET /cart', {
    kind: SpanKind.SERVER,
    attributes: { 'http.request.method': 'GET', 'http.route': '/cart', 'user.id': 'outage-user' },
    startTime: at(startMs),
  });
  const parent = trace.setSpan(context.active(), root);
  for (let i = 1; i < OTLP_SPANS; i++) {
    tracer
      .startSpan(
        `step ${i}`,
        { attributes: { 'feature.name': `step-${i % 3}` }, startTime: at(startMs + i) },
        parent,
      )
      .end(at(startMs + i + 1));
  }
  root.end(at(startMs + OTLP_SPANS + 1));
  const spans = exporter.getFinishedSpans();
  exporter.reset();
  return {
    spans,
    // One more span of the trace: exported alone, it is keyed (so partitioned) like the trace.
    marker() {
      tracer.startSpan('marker', { startTime: at(startMs + 2) }, parent).end(at(startMs + 3));
      return exporter.getFinishedSpans();
    },
  };
}

/**
 * The broker goes away: the gateway answers 503 with Retry-After and acknowledges nothing. The
 * broker comes back on the same address: ingestion resumes without restarting the gateway. This
 * suite stops its broker, so it runs on a private one.
 */
describe('broker outage', () => {
  let broker: LocalBroker;
  let gateway: RunningRole;

  beforeAll(async () => {
    broker = await startKafka();
    gateway = await startGateway({ KAFKA_BROKERS: broker.bootstrap, KAFKA_PUBLISH_TIMEOUT_MS: '1500' });
  });

  afterAll(async () => {
    await gateway?.stop().catch(() => undefined);
    await broker?.stop({ removeDataDir: true });
  });

  it('answers 503 while the broker is down and resumes by itself when it is back', async () => {
    const base = `${gateway.url}/plugins/developer_telemetry/connections`;
    const id: number = (await request(base, { body: { name: 'outage' } })).body.id;
    const url = `${base}/${id}/report`;
    expect((await request(url, { body: fixture })).status).toBe(200);

    await broker.stop();
    const started = Date.now();
    const during = await request(url, { body: { ...fixture, date: '2026-02-12' } });
    expect(during.status).toBe(503);
    expect(during.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(during.body).toMatchObject({ success: false, error: 'unavailable' });
    expect(Date.now() - started).toBeLessThan(10_000);

    broker = await startKafka({
      dataDir: broker.dataDir,
      port: broker.port,
      controllerPort: broker.controllerPort,
    });
    const after = await eventually(
      async () => {
        const response = await request(url, { body: { ...fixture, date: '2026-02-13' } });
        return response.status === 200 ? response : undefined;
      },
      90_000,
      'the gateway to accept reports again',
    );
    expect(after.body).toMatchObject({ success: true, message: 'telemetry data received successfully' });
  });
});

/**
 * The same for OpenTelemetry exporters: OTLP/HTTP answers 503 with Retry-After and a
 * google.rpc.Status UNAVAILABLE, which exporters retry; the export that finally lands is stored
 * once. A broker and gateway of its own: a gateway taken through two outages in a row is slow to
 * stop (its state consumers, restarted after the first, wait out a session timeout).
 */
describe('broker outage: OTLP exports', () => {
  const dataDir = makeDataDir();
  let broker: LocalBroker;
  let gateway: RunningRole;
  let projector: ProjectorProcess | undefined;

  beforeAll(async () => {
    broker = await startKafka();
    gateway = await startGateway({ KAFKA_BROKERS: broker.bootstrap, KAFKA_PUBLISH_TIMEOUT_MS: '1500' });
  });

  afterAll(async () => {
    projector?.child.kill('SIGKILL');
    await projector?.exited;
    await gateway?.stop().catch(() => undefined);
    await broker?.stop({ removeDataDir: true });
    removeDataDir(dataDir);
  });

  /** The broker back on the same address and data, as after a restart. */
  const restartBroker = async () => {
    broker = await startKafka({
      dataDir: broker.dataDir,
      port: broker.port,
      controllerPort: broker.controllerPort,
    });
  };

  it('answers OTLP exports 503 with Retry-After and an UNAVAILABLE Status; the retried export is stored once', async () => {
    const url = `${gateway.url}/v1/traces`;
    const otlp = otlpTrace();
    const traceId = otlp.spans[0].spanContext().traceId;
    const asProtobuf = ProtobufTraceSerializer.serializeRequest(otlp.spans)!;
    const post = (body: Uint8Array, contentType = 'application/x-protobuf') =>
      fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });

    // The official exporter, a plain client in OTLP/JSON and one in protobuf, all while the broker
    // is down (the outage kept short: the gateway's own consumers give up after some seconds).
    await broker.stop();
    const started = Date.now();
    const messages: string[] = [];
    const log = (message: string) => messages.push(message);
    diag.setLogger({ error: log, warn: log, info: log, debug: log, verbose: log }, DiagLogLevel.VERBOSE);
    const exporter = officialExporter(url, 60_000);
    try {
      const exported = new Promise<{ code: number; error?: Error }>((resolve) =>
        exporter.export(otlp.spans, resolve),
      );
      const [json, binary] = await Promise.all([
        request(url, {
          raw: JsonTraceSerializer.serializeRequest(otlp.spans)!,
          headers: { 'content-type': 'application/json' },
        }),
        post(asProtobuf),
      ]);
      expect(json.status).toBe(503);
      expect(json.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(json.headers.get('content-type')).toMatch(/^application\/json/);
      expect(json.body).toMatchObject({
        code: UNAVAILABLE,
        message: expect.stringContaining('retry later'),
        details: [],
      });
      expect(binary.status).toBe(503);
      const retryAfter = Number(binary.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(binary.headers.get('content-type')).toMatch(/^application\/x-protobuf/);
      const status = RpcStatus.toObject(RpcStatus.decode(new Uint8Array(await binary.arrayBuffer())));
      expect(status).toMatchObject({ code: UNAVAILABLE, message: expect.stringContaining('retry later') });
      expect(Date.now() - started).toBeLessThan(10_000);

      // The exporter read its 503 as retryable and waits as Retry-After says; the broker comes back
      // meanwhile, and one of its retries is acknowledged: the export succeeds.
      await restartBroker();
      const result = await exported;
      expect(result.error).toBeUndefined();
      expect(result.code).toBe(EXPORT_SUCCESS);
      expect(messages).toContain(`Scheduling export retry in ${retryAfter * 1000}ms`);
    } finally {
      await exporter.shutdown();
      diag.disable();
    }
    projector = await spawnProjector(dataDir, {
      KAFKA_BROKERS: broker.bootstrap,
      KAFKA_CONSUMER_GROUP: uniqueGroup(),
    });
    const spanCount = (atLeast: number, what: string) =>
      eventually(
        async () => {
          const result = await graphql(
            projector!.url,
            'query ($id: String!) { trace(traceId: $id) { spanCount } }',
            { id: traceId },
          );
          const count: number | undefined = result.data?.trace?.spanCount;
          return count !== undefined && count >= atLeast ? count : undefined;
        },
        60_000,
        what,
      );
    expect(await spanCount(OTLP_SPANS, 'the exported trace stored')).toBe(OTLP_SPANS);

    // A plain client's retry once the trace is stored: the log now holds it several times (maybe a
    // 503'd publish the broker acknowledged late too), all in one partition, so a marker span sent
    // after them is projected last.
    expect((await post(asProtobuf)).status).toBe(200);
    expect((await post(ProtobufTraceSerializer.serializeRequest(otlp.marker())!)).status).toBe(200);
    expect(await spanCount(OTLP_SPANS + 1, 'the marker stored')).toBe(OTLP_SPANS + 1);
  }, 120_000);
});
