import { createHash, randomUUID } from 'node:crypto';
import {
  type Attributes,
  type HrTime,
  type SpanContext,
  SpanKind,
  type Tracer,
  context,
  trace,
} from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { Kafka } from 'kafkajs';
import { TOPICS } from '@th/contracts';
import { OTLP_EXPORT_KIND } from '@th/otel-traces';
import { makeDataDir, removeDataDir } from '../helpers/embedded-app';
import {
  type ProjectorProcess,
  type RunningRole,
  eventually,
  spawnProjector,
  startGateway,
  uniqueGroup,
} from '../helpers/distributed';
import { graphql } from '../helpers/http';

const EXPORTS = 40;
const TRACES_PER_EXPORT = 4;
const SPANS_PER_TRACE = 50;
const SPANS_PER_EXPORT = TRACES_PER_EXPORT * SPANS_PER_TRACE;
const SENT_SPANS = EXPORTS * SPANS_PER_EXPORT;
const CONCURRENCY = 4;
/** The projector is killed once this many exports are answered. */
const KILL_AFTER = EXPORTS / 2;
/** Every export whose index has this remainder is sent twice: an exporter whose answer was lost. */
const RESEND_EVERY = 8;
const RESENT = 3;

const ENDPOINTS = ['/api/cart', '/api/checkout', '/api/search', '/api/profile', '/api/orders/:id'];
const FEATURES: [string, string][] = [
  ['dark-mode', 'toggle'],
  ['export-csv', 'download'],
  ['search', 'query'],
  ['share', 'link'],
];
const USER_EVENTS = ['login', 'logout', 'page_view'];
const USERS = 7;

type Table = 'endpoint_usage' | 'feature_usage' | 'user_activity';

/** One span to make, and where the router must send it. */
interface PlannedSpan {
  name: string;
  kind: SpanKind;
  attributes: Attributes;
  table?: Table;
  /** The raw user id it carries (sent as user.id). */
  user?: string;
}

/** What the reads must answer once every export is stored, each span once. */
interface Expected {
  calls: Map<string, { calls: number; errors: number }>;
  uses: Map<string, { uses: number; users: Set<string> }>;
  userEvents: Map<string, { events: number; users: Set<string> }>;
  activeUsers: Set<string>;
}

/** The processor's hash (OTEL_ID_HASH=sha256): hex SHA-256, first 16 characters. */
const hashed = (id: string) => createHash('sha256').update(id, 'utf8').digest('hex').slice(0, 16);

function hrTime(ms: number): HrTime {
  return [Math.floor(ms / 1000), (ms % 1000) * 1_000_000];
}

/**
 * The j-th span of a trace, g-th of the run: a SERVER root routed by the semantic conventions,
 * then spans routed by event.category to each analytics table, by the old collector's event.type
 * rule, and spans that go nowhere (no rule, or an unknown category).
 */
function plannedSpan(j: number, g: number, users: readonly string[]): PlannedSpan {
  const user = users[g % USERS];
  const endpoint = ENDPOINTS[g % ENDPOINTS.length];
  const status = g % 11 === 0 ? 503 : 200;
  if (j === 0) {
    const method = g % 2 === 0 ? 'GET' : 'POST';
    return {
      name: `${method} ${endpoint}`,
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': method,
        'http.route': endpoint,
        'http.response.status_code': status,
        'user.id': user,
      },
      table: 'endpoint_usage',
      user,
    };
  }
  switch (j % 5) {
    case 1:
      return {
        name: 'endpoint call',
        kind: SpanKind.INTERNAL,
        attributes: {
          'event.category': 'endpoint_usage',
          'http.method': 'PUT',
          'http.route': endpoint,
          'http.status_code': status,
          'user.id': user,
        },
        table: 'endpoint_usage',
        user,
      };
    case 2: {
      const [feature, action] = FEATURES[g % FEATURES.length];
      return {
        name: `feature ${feature}`,
        kind: SpanKind.INTERNAL,
        attributes: {
          'event.category': 'feature_usage',
          'feature.name': feature,
          'feature.action': action,
          'user.id': user,
        },
        table: 'feature_usage',
        user,
      };
    }
    case 3: {
      const type = USER_EVENTS[g % USER_EVENTS.length];
      return {
        name: `user ${type}`,
        kind: SpanKind.INTERNAL,
        attributes: {
          'event.category': 'user_activity',
          'event.type': type,
          'session.id': `session-${g % 13}`,
          'user.id': user,
        },
        table: 'user_activity',
        user,
      };
    }
    case 4:
      // The old collector's rule: event.type login/logout, no category.
      return g % 2 === 0
        ? {
            name: 'login',
            kind: SpanKind.INTERNAL,
            attributes: { 'event.type': 'login', 'user.id': user },
            table: 'user_activity',
            user,
          }
        : {
            name: 'billing',
            kind: SpanKind.INTERNAL,
            attributes: { 'event.category': 'billing', 'user.id': user },
            user,
          };
    default:
      return { name: 'SELECT orders', kind: SpanKind.CLIENT, attributes: { 'db.system': 'postgresql' } };
  }
}

function tally(expected: Expected, span: PlannedSpan): void {
  if (!span.table || !span.user) return;
  expected.activeUsers.add(span.user);
  const a = span.attributes;
  if (span.table === 'endpoint_usage') {
    const key = `${String(a['http.route'])} ${String(a['http.request.method'] ?? a['http.method'])}`;
    const status = Number(a['http.response.status_code'] ?? a['http.status_code']);
    const entry = expected.calls.get(key) ?? { calls: 0, errors: 0 };
    entry.calls++;
    if (status >= 500) entry.errors++;
    expected.calls.set(key, entry);
  } else if (span.table === 'feature_usage') {
    const key = `${String(a['feature.name'])} ${String(a['feature.action'])}`;
    const entry = expected.uses.get(key) ?? { uses: 0, users: new Set<string>() };
    entry.uses++;
    entry.users.add(span.user);
    expected.uses.set(key, entry);
  } else {
    const key = String(a['event.type']);
    const entry = expected.userEvents.get(key) ?? { events: 0, users: new Set<string>() };
    entry.events++;
    entry.users.add(span.user);
    expected.userEvents.set(key, entry);
  }
}

/** One OTLP export as the official SDK serializes it, and the first span's context (its key). */
interface Export {
  body: Uint8Array;
  first: SpanContext;
  traceIds: string[];
}

/** Spans made with the official SDK (explicit times), in a period no other suite writes to. */
class SpanFactory {
  private readonly exporter = new InMemorySpanExporter();
  private readonly tracer: Tracer;
  private g = 0;

  constructor(
    readonly service: string,
    private readonly startMs: number,
  ) {
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': service, 'deployment.type': 'cloud' }),
      spanProcessors: [new SimpleSpanProcessor(this.exporter)],
    });
    this.tracer = provider.getTracer('otel-crash-suite', '1.0.0');
  }

  private nextTime(): number {
    return this.startMs + this.g++ * 10;
  }

  /** Finished spans since the last call. */
  private take(): ReadableSpan[] {
    const spans = this.exporter.getFinishedSpans();
    this.exporter.reset();
    return spans;
  }

  export(users: readonly string[], expected: Expected): Export {
    const traceIds: string[] = [];
    for (let t = 0; t < TRACES_PER_EXPORT; t++) {
      const rootStart = this.nextTime();
      const rootPlan = plannedSpan(0, this.g, users);
      tally(expected, rootPlan);
      const root = this.tracer.startSpan(rootPlan.name, {
        kind: rootPlan.kind,
        attributes: rootPlan.attributes,
        startTime: hrTime(rootStart),
      });
      traceIds.push(root.spanContext().traceId);
      const parent = trace.setSpan(context.active(), root);
      let end = rootStart;
      for (let j = 1; j < SPANS_PER_TRACE; j++) {
        const start = this.nextTime();
        const plan = plannedSpan(j, this.g, users);
        tally(expected, plan);
        end = start + 5;
        this.tracer
          .startSpan(
            plan.name,
            { kind: plan.kind, attributes: plan.attributes, startTime: hrTime(start) },
            parent,
          )
          .end(hrTime(end));
      }
      root.end(hrTime(end + 1));
    }
    const spans = this.take();
    return {
      body: ProtobufTraceSerializer.serializeRequest(spans)!,
      first: spans[0].spanContext(),
      traceIds,
    };
  }

  /** One more span in `of`'s trace: an export the gateway keys (so partitions) like `of`'s export. */
  marker(of: SpanContext): Uint8Array {
    const start = this.nextTime();
    this.tracer
      .startSpan('marker', { startTime: hrTime(start) }, trace.setSpanContext(context.active(), of))
      .end(hrTime(start + 1));
    return ProtobufTraceSerializer.serializeRequest(this.take())!;
  }

  /** A span with user.id and one with enduser.id and organization.id: one export in protobuf, one in JSON. */
  identityExports(person: string, organization: string): Uint8Array[] {
    const start = this.nextTime();
    this.tracer
      .startSpan('login', {
        attributes: { 'event.category': 'user_activity', 'event.type': 'login', 'user.id': person },
        startTime: hrTime(start),
      })
      .end(hrTime(start + 1));
    const protobuf = ProtobufTraceSerializer.serializeRequest(this.take())!;
    this.tracer
      .startSpan('feature', {
        attributes: {
          'feature.name': 'share',
          'enduser.id': person,
          'organization.id': organization,
        },
        startTime: hrTime(start + 2),
      })
      .end(hrTime(start + 3));
    return [protobuf, JsonTraceSerializer.serializeRequest(this.take())!];
  }
}

interface Counts {
  spans: number;
  traces: Map<string, number>;
  calls: Map<string, { calls: number; errors: number }>;
  uses: Map<string, { uses: number; users: number }>;
  userEvents: Map<string, { events: number; users: number }>;
  activeUsers: number;
}

const COUNTS = `
  query ($from: String!, $to: String!, $service: String!) {
    traces(from: $from, to: $to, service: $service, limit: 500) {
      totalCount
      items {
        traceId
        spanCount
      }
    }
    endpointUsage(from: $from, to: $to, service: $service) {
      endpoint
      method
      calls
      errors
    }
    featureUsage(from: $from, to: $to) {
      featureName
      action
      uses
      distinctUsers
    }
    userActivity(from: $from, to: $to) {
      activeUsers
      eventsByType {
        eventType
        events
        distinctUsers
      }
    }
  }
`;

/**
 * kill -9 of the projector while OTLP exports are in flight, then a restart on the same data and
 * consumer group: every span is stored once and every analytics figure is exact, although the
 * projector is redelivered what it wrote before it died and some exports were sent twice.
 */
describe('OpenTelemetry traces: projector killed with SIGKILL mid-stream', () => {
  const dataDir = makeDataDir();
  const group = uniqueGroup();
  const kafka = new Kafka({
    clientId: 'otel-crash-test',
    brokers: [process.env.KAFKA_BROKERS ?? ''],
    logLevel: 0,
  });
  let gateway: RunningRole;
  let projector: ProjectorProcess | undefined;

  beforeAll(async () => {
    gateway = await startGateway();
  });

  afterAll(async () => {
    projector?.child.kill('SIGKILL');
    await projector?.exited;
    await gateway?.stop();
    removeDataDir(dataDir);
  });

  const post = async (body: Uint8Array, contentType = 'application/x-protobuf') => {
    const response = await fetch(`${gateway.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    });
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(response.status).toBe(200);
    if (contentType === 'application/x-protobuf') {
      // Full success: no partial_success to report.
      expect(ProtobufTraceSerializer.deserializeResponse(bytes)).toEqual({});
    }
  };

  const counts = async (factory: SpanFactory, from: string, to: string): Promise<Counts> => {
    const result = await graphql(projector!.url, COUNTS, { from, to, service: factory.service });
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    const { traces, endpointUsage, featureUsage, userActivity } = result.data;
    const items = traces.items as { traceId: string; spanCount: number }[];
    expect(traces.totalCount).toBe(items.length);
    return {
      spans: items.reduce((sum, t) => sum + t.spanCount, 0),
      traces: new Map(items.map((t) => [t.traceId, t.spanCount])),
      calls: new Map(
        (endpointUsage as { endpoint: string; method: string; calls: number; errors: number }[]).map((e) => [
          `${e.endpoint} ${e.method}`,
          { calls: e.calls, errors: e.errors },
        ]),
      ),
      uses: new Map(
        (featureUsage as { featureName: string; action: string; uses: number; distinctUsers: number }[]).map(
          (f) => [`${f.featureName} ${f.action}`, { uses: f.uses, users: f.distinctUsers }],
        ),
      ),
      userEvents: new Map(
        (userActivity.eventsByType as { eventType: string; events: number; distinctUsers: number }[]).map(
          (e) => [e.eventType, { events: e.events, users: e.distinctUsers }],
        ),
      ),
      activeUsers: userActivity.activeUsers,
    };
  };

  it('stores every span once and counts every endpoint call, feature use and user event exactly', async () => {
    // An hour from a random second of 2021-2023: the reads see this run's spans only.
    const startMs = Date.UTC(2021, 0, 1) + Math.floor(Math.random() * 86_400_000) * 1_000;
    const from = new Date(startMs).toISOString();
    const to = new Date(startMs + 3_600_000).toISOString();
    const factory = new SpanFactory(`otel-crash-${randomUUID().slice(0, 8)}`, startMs);
    const users = Array.from({ length: USERS }, (_, n) => `crash-user-${n}-${randomUUID()}@example.com`);
    const expected: Expected = {
      calls: new Map(),
      uses: new Map(),
      userEvents: new Map(),
      activeUsers: new Set(),
    };
    const exports = Array.from({ length: EXPORTS }, () => factory.export(users, expected));
    const expectedTraces = new Map(exports.flatMap((e) => e.traceIds).map((id) => [id, SPANS_PER_TRACE]));
    expect(expectedTraces.size).toBe(EXPORTS * TRACES_PER_EXPORT);

    projector = await spawnProjector(dataDir, { KAFKA_CONSUMER_GROUP: group });
    const crashed = projector;
    let answered = 0;
    let seenBeforeKill = 0;
    let killing: Promise<void> | undefined;
    const snapshotAndKill = async () => {
      seenBeforeKill = await eventually(
        async () => {
          const { spans } = await counts(factory, from, to);
          return spans > 0 ? spans : undefined;
        },
        30_000,
        'some spans visible before the kill',
      );
      crashed.child.kill('SIGKILL');
    };

    const queue = exports.map((e, index) => ({ e, index }));
    const send = async () => {
      for (let item = queue.shift(); item; item = queue.shift()) {
        // Once the kill is under way, the rest is sent after it: the projector cannot have caught
        // up with everything before it died.
        if (killing) await killing;
        await post(item.e.body);
        if (item.index % RESEND_EVERY === RESENT) await post(item.e.body);
        if (++answered === KILL_AFTER) killing = snapshotAndKill();
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, send));
    await killing;
    expect(await crashed.exited).toBe('SIGKILL');
    expect(seenBeforeKill).toBeGreaterThan(0);
    expect(seenBeforeKill).toBeLessThan(SENT_SPANS);

    projector = await spawnProjector(dataDir, { KAFKA_CONSUMER_GROUP: group });
    let markers = 0;
    /**
     * One more span in the first trace of each export: same key, same partition, so once every
     * marker is stored, every partition is projected past all the exports sent before it (and
     * their redeliveries). Then every figure must be exact: nothing lost, nothing counted twice.
     */
    const expectExactAfterMarkers = async (when: string) => {
      for (const e of exports) await post(factory.marker(e.first));
      for (const e of exports) expectedTraces.set(e.first.traceId, expectedTraces.get(e.first.traceId)! + 1);
      markers += EXPORTS;
      const total = SENT_SPANS + markers;
      const stored = await eventually(
        async () => {
          const now = await counts(factory, from, to);
          // A marker may share a batch with the last exports, whose tables are written side by side.
          const sum = <T>(m: Map<string, T>, of: (v: T) => number) =>
            [...m.values()].reduce((n, v) => n + of(v), 0);
          return now.spans >= total &&
            sum(now.calls, (c) => c.calls) >= sum(expected.calls, (c) => c.calls) &&
            sum(now.uses, (u) => u.uses) >= sum(expected.uses, (u) => u.uses) &&
            sum(now.userEvents, (e) => e.events) >= sum(expected.userEvents, (e) => e.events)
            ? now
            : undefined;
        },
        60_000,
        `${total} spans ${when}`,
      );
      expect(stored.spans).toBe(total);
      expect(stored.traces).toEqual(expectedTraces);
      expect(stored.calls).toEqual(expected.calls);
      expect(stored.uses).toEqual(
        new Map([...expected.uses].map(([key, u]) => [key, { uses: u.uses, users: u.users.size }])),
      );
      expect(stored.userEvents).toEqual(
        new Map([...expected.userEvents].map(([key, e]) => [key, { events: e.events, users: e.users.size }])),
      );
      expect(stored.activeUsers).toBe(expected.activeUsers.size);
      expect(stored.activeUsers).toBe(USERS);
    };
    await expectExactAfterMarkers('after the restart');

    // After the restart, an exporter that lost its answers sends every export again: the log gets
    // a second copy of each, and the figures stay the same.
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, lane) => {
        for (let i = lane; i < EXPORTS; i += CONCURRENCY) await post(exports[i].body);
      }),
    );
    await expectExactAfterMarkers('after every export was sent again');

    // The spans table keeps the hash of the user, never the id.
    const sample = await graphql(
      projector.url,
      `
        query ($id: String!) {
          trace(traceId: $id) {
            spans {
              attributes {
                key
                value
              }
            }
          }
        }
      `,
      { id: exports[0].traceIds[0] },
    );
    const userIds = sample.data.trace.spans.flatMap((s: { attributes: { key: string; value: string }[] }) =>
      s.attributes.filter((a) => a.key === 'user.id').map((a) => a.value),
    );
    expect(userIds.length).toBeGreaterThan(0);
    for (const id of userIds) expect(users.map(hashed)).toContain(id);
  }, 120_000);

  it('puts only hashed user, end-user and organization ids on the topic', async () => {
    const startMs = Date.UTC(2021, 0, 1) + Math.floor(Math.random() * 86_400_000) * 1_000;
    const factory = new SpanFactory(`otel-topic-${randomUUID().slice(0, 8)}`, startMs);
    const person = `person-${randomUUID()}@example.com`;
    const organization = `org-${randomUUID()}`;
    const [protobuf, json] = factory.identityExports(person, organization);
    await post(protobuf);
    await post(json, 'application/json');

    const consumer = kafka.consumer({ groupId: uniqueGroup() });
    const found: { key: string; value: string }[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: TOPICS.traces, fromBeginning: true });
      await consumer.run({
        eachMessage: ({ message }) => {
          const value = message.value?.toString('utf8') ?? '';
          if (value.includes(factory.service)) found.push({ key: message.key?.toString() ?? '', value });
          return Promise.resolve();
        },
      });
      await eventually(
        () => Promise.resolve(found.length >= 2 ? found : undefined),
        30_000,
        'both exports on the topic',
      );
    } finally {
      await consumer.disconnect();
    }
    expect(found).toHaveLength(2);
    const attributes: Record<string, unknown>[] = [];
    for (const { key, value } of found) {
      expect(value).not.toContain(person);
      expect(value).not.toContain(organization);
      const envelope = JSON.parse(value);
      expect(envelope.kind).toBe(OTLP_EXPORT_KIND);
      for (const g of envelope.payload.groups) {
        for (const span of g.spans) {
          expect(span.traceId).toBe(key);
          attributes.push(span.attributes);
        }
      }
    }
    expect(attributes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ 'user.id': hashed(person), 'event.type': 'login' }),
        expect.objectContaining({ 'enduser.id': hashed(person), 'organization.id': hashed(organization) }),
      ]),
    );
  });
});
