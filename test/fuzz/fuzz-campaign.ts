import { performance } from 'node:perf_hooks';
import { gunzipSync, gzipSync, inflateSync } from 'node:zlib';
import { JWC_SCHEMA } from '../../libs/app-events/src/contract/jwc-event.schema';
import { graphql, request } from '../helpers/http';
import {
  BODY_LIMIT_BYTES,
  type HijackVariant,
  type HostileBody,
  JWC_MAX_BATCH,
  type JwcNeighbourContent,
  type ReportNeighbourContent,
  type ReportTarget,
  corpus,
  hostileJwcBodies,
  hostileJwcEvent,
  hostileReportBodies,
  reportTarget,
  toJsonText,
  validJwcContent,
  validReportContent,
} from './hostile-payloads';

/**
 * A fuzz campaign against a running app: each input in turn, its hostile payloads interleaved with
 * valid neighbours in the same window (while the host polls `/health`). It only records; the spec
 * asserts on the figures it returns.
 *
 * What counts as one hostile payload: one hostile request body (or hostile header/route variant)
 * sent on its own, or one hostile event inside a `/t` batch. Valid neighbours never count.
 */
export interface CampaignOptions {
  url: string;
  seed: number;
  /** Hostile payloads per input, at least. */
  runs: number;
  /** Requests in flight per input. */
  concurrency: number;
  /**
   * No new payload is sent after this long (shared by the inputs, each getting an equal share of
   * what is left): a server that stalls makes the run fail, not hang.
   */
  maxWindowMs: number;
  /** The inputs to fuzz (both unless narrowed, e.g. to find which one is slow). */
  inputs: readonly FuzzInput[];
}

export type FuzzInput = 'jwc' | 'devlake';

/** Called when the load window opens and closes (the checks that read back come after it). */
export type WindowListener = (phase: 'window-start' | 'window-end') => void;

export interface Failure {
  input: string;
  /** The class of failure (failures are kept per class and kind, a few of each). */
  reason: string;
  what: string;
  kind: string;
  request: string;
  status: number;
  response: string;
}

export interface InputFigures {
  input: string;
  payloads: number;
  requests: number;
  status2xx: number;
  status4xx: number;
  status5xx: number;
  /** Requests that got no answer (the connection failed), not counting oversize bodies cut off. */
  networkErrors: number;
  /** Bodies over the body limit whose connection the server closed while they were being sent. */
  cutOff: number;
  statuses: Record<string, number>;
  /** Requests and answer times per generator branch (the slowest show where the time goes). */
  byKind: Record<string, { requests: number; totalMs: number; maxMs: number }>;
  neighboursSent: number;
  /** Neighbours the server acknowledged (200, not in `rejected`): each must be stored once. */
  neighboursAcknowledged: number;
  neighboursStoredOnce: number;
  neighboursLost: number;
  neighboursDoubled: number;
  /** Neighbours refused with their (mixed) batch by a 4xx, yet stored. */
  neighboursStoredThoughRefused: number;
  /** Rows under a neighbour marker that no neighbour sent. */
  strays: number;
  /** `/t`: events sent with an acknowledged neighbour's client id and other content. */
  hijacksSent: number;
  /** `/t`: of those, stored under their own content. */
  hijacksStored: number;
  /** DevLake: rows stored under a developer and date no report sent carried (a changed date). */
  alteredDates: number;
  /** Responses holding a stack trace or an absolute path of the app. */
  leaks: number;
  durationMs: number;
}

export interface HealthFigures {
  polls: number;
  failures: number;
  maxMs: number;
  p99Ms: number;
  p50Ms: number;
  over100Ms: number;
}

export interface CampaignResult {
  seed: number;
  runs: number;
  runId: string;
  inputs: InputFigures[];
  failures: Failure[];
  /** Failures beyond those kept. */
  failuresNotKept: number;
  durationMs: number;
  /** The window reached maxWindowMs before every payload was sent. */
  cutShort: boolean;
}

interface Answer {
  status: number;
  text: string;
  /** From sending the request to reading the whole answer. */
  ms: number;
  error?: string;
}

interface Job {
  input: FuzzInput;
  kind: string;
  path: string;
  method: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  payloads: number;
  oversize: boolean;
  /** Called with the answer and the job as sent (a resend is a copy of its original). */
  onAnswer?: (answer: Answer, sent: Job) => void;
}

const DAY_MS = 86_400_000;
const MAX_FAILURES_KEPT = 40;
const MAX_FAILURES_PER_CLASS = 3;

/** A small seeded PRNG for the runner's structural choices (batch sizes, interleaving). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const truncate = (text: string, max = 300) =>
  text.length <= max ? text : `${text.slice(0, max)}… (${text.length} chars)`;

function bodyText(body: string | Uint8Array | undefined): string {
  if (body === undefined) return '';
  return typeof body === 'string' ? body : Buffer.from(body).toString('latin1');
}

function newFigures(input: string): InputFigures {
  return {
    input,
    payloads: 0,
    requests: 0,
    status2xx: 0,
    status4xx: 0,
    status5xx: 0,
    networkErrors: 0,
    cutOff: 0,
    statuses: {},
    byKind: {},
    neighboursSent: 0,
    neighboursAcknowledged: 0,
    neighboursStoredOnce: 0,
    neighboursLost: 0,
    neighboursDoubled: 0,
    neighboursStoredThoughRefused: 0,
    strays: 0,
    hijacksSent: 0,
    hijacksStored: 0,
    alteredDates: 0,
    leaks: 0,
    durationMs: 0,
  };
}

/** Records answers and failures; shared by both inputs. */
class Recorder {
  readonly failures: Failure[] = [];
  notKept = 0;
  private readonly perClass = new Map<string, number>();
  private readonly appRoot = process.cwd();

  constructor(readonly figures: Record<Job['input'], InputFigures>) {}

  fail(failure: Failure): void {
    const key = `${failure.input}|${failure.reason}|${failure.kind}`;
    const seen = this.perClass.get(key) ?? 0;
    this.perClass.set(key, seen + 1);
    if (seen < MAX_FAILURES_PER_CLASS && this.failures.length < MAX_FAILURES_KEPT)
      this.failures.push(failure);
    else this.notKept++;
  }

  record(job: Job, answer: Answer): void {
    const figures = this.figures[job.input];
    figures.requests++;
    figures.payloads += job.payloads;
    const key = answer.error ? 'network' : String(answer.status);
    figures.statuses[key] = (figures.statuses[key] ?? 0) + 1;
    const kind = (figures.byKind[job.kind.replace(/ \(.*$/, '')] ??= { requests: 0, totalMs: 0, maxMs: 0 });
    kind.requests++;
    kind.totalMs += answer.ms;
    kind.maxMs = Math.max(kind.maxMs, answer.ms);
    const failure = (what: string) =>
      this.fail({
        input: figures.input,
        reason: what,
        what,
        kind: job.kind,
        request: `${job.method} ${job.path} ${JSON.stringify(job.headers)} ${truncate(bodyText(job.body))}`,
        status: answer.status,
        response: truncate(answer.error ?? answer.text, 600),
      });
    if (answer.error) {
      const size = typeof job.body === 'string' ? Buffer.byteLength(job.body) : (job.body?.length ?? 0);
      if (job.oversize || size > BODY_LIMIT_BYTES) {
        figures.cutOff++;
      } else {
        figures.networkErrors++;
        failure('no answer');
      }
      return;
    }
    if (answer.status >= 500) {
      figures.status5xx++;
      failure(`${answer.status} answer`);
    } else if (answer.status >= 400) figures.status4xx++;
    else figures.status2xx++;
    const sent = bodyText(job.body);
    const leaked =
      (/\n\s+at .+\(.+:\d+:\d+\)/.test(answer.text) && !sent.includes(' at ')) ||
      (answer.text.includes(this.appRoot) && !sent.includes(this.appRoot));
    if (leaked) {
      figures.leaks++;
      failure('internals leaked in the answer');
    }
  }
}

/** A request body as the server reads it: decoded from gzip or deflate, then from UTF-8. */
function decodedText(body: string | Uint8Array | undefined, headers: Record<string, string>): string {
  if (body === undefined) return '';
  const encoding = (headers['content-encoding'] ?? '').trim().toLowerCase();
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
  const decoded =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? gunzipSync(bytes)
      : encoding === 'deflate'
        ? inflateSync(bytes)
        : bytes;
  return new TextDecoder().decode(decoded);
}

async function send(baseUrl: string, job: Job): Promise<Answer> {
  const started = performance.now();
  try {
    const response = await fetch(`${baseUrl}${job.path}`, {
      method: job.method,
      headers: job.headers,
      body: job.body,
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    return { status: response.status, text, ms: performance.now() - started };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return {
      status: 0,
      text: '',
      error: `${error instanceof Error ? error.message : String(error)}${cause}`,
      ms: performance.now() - started,
    };
  }
}

/** Runs `next()`'s jobs with `concurrency` in flight until it returns undefined. */
async function drain(
  baseUrl: string,
  concurrency: number,
  next: () => Job | undefined,
  recorder: Recorder,
): Promise<void> {
  const worker = async () => {
    for (let job = next(); job !== undefined; job = next()) {
      const answer = await send(baseUrl, job);
      recorder.record(job, answer);
      job.onAnswer?.(answer, job);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

// ---------------------------------------------------------------------------------------------
// POST /t
// ---------------------------------------------------------------------------------------------

interface JwcNeighbour {
  marker: string;
  event: Record<string, unknown>;
  millis: number;
  /** The client id it was sent with (event id or Idempotency-Key), if any. */
  clientId?: { field: 'id' | 'idempotency-key'; value: string };
  acknowledged: boolean;
  refusedWith4xx: boolean;
}

interface IngestAnswer {
  rejected?: { index: number; errors?: unknown }[];
}

function millisOf(t: number | string): number {
  if (typeof t === 'string') return Date.parse(t);
  return t < 1e12 ? t * 1000 : t;
}

/**
 * `/t` jobs: hostile whole bodies (one payload each) and batches of hostile events mixed with
 * valid neighbours (one payload per hostile event), neighbour-only requests, identical resends of
 * acknowledged ones, and events reusing an acknowledged neighbour's client id with other content.
 */
class JwcCampaign {
  readonly neighbours: JwcNeighbour[] = [];
  private readonly withClientId: JwcNeighbour[] = [];
  private readonly resendable: Job[] = [];
  private readonly bodies: Iterator<HostileBody>;
  private readonly events: Iterator<unknown>;
  private readonly contents: Iterator<JwcNeighbourContent>;
  private readonly random: () => number;
  private bodyPayloads = 0;
  private eventPayloads = 0;
  private step = 0;
  private hijacks = 0;

  constructor(
    private readonly runId: string,
    seed: number,
    private readonly runs: number,
    private readonly recorder: Recorder,
    private readonly now: number,
    private readonly expired: () => boolean,
  ) {
    this.bodies = corpus(hostileJwcBodies(now), seed);
    this.events = corpus(hostileJwcEvent(now), seed + 1_000_003);
    this.contents = corpus(validJwcContent(now), seed + 2_000_003);
    this.random = mulberry32(seed + 3_000_003);
  }

  private get figures(): InputFigures {
    return this.recorder.figures.jwc;
  }

  /**
   * A fifth of the payloads travel as whole bodies, the rest as events inside mixed batches: each
   * `/t` request that stores anything waits for a store round (and a client-id lookup), so
   * hostile events ride in batches to keep the run within its window.
   */
  private get bodyTarget(): number {
    return Math.ceil(this.runs / 5);
  }

  private get eventTarget(): number {
    return this.runs - this.bodyTarget;
  }

  next = (): Job | undefined => {
    const bodiesDone = this.bodyPayloads >= this.bodyTarget;
    const eventsDone = this.eventPayloads >= this.eventTarget;
    if ((bodiesDone && eventsDone) || this.expired()) return undefined;
    // Neighbours, resends and client-id reuse are spaced more widely than on DevLake: a `/t`
    // request carrying a client id waits for a lookup of stored ids (about 30 a second here).
    const step = this.step++;
    if (step % 16 === 0) return this.neighbourJob();
    if (step % 41 === 11 && this.resendable.length > 0)
      return this.resendable[Math.floor(this.random() * this.resendable.length)];
    if (step % 53 === 13 && this.withClientId.length > 0) return this.hijackJob();
    // Both kinds progress together, so that they share the window.
    const eventsBehind = this.eventPayloads / this.eventTarget <= this.bodyPayloads / this.bodyTarget;
    if (!eventsDone && (bodiesDone || eventsBehind)) return this.mixedBatchJob();
    return this.bodyJob();
  };

  private take<T>(iterator: Iterator<T>): T {
    return iterator.next().value as T;
  }

  private newNeighbour(clientId: 'id' | 'idempotency-key' | undefined): JwcNeighbour {
    const index = this.neighbours.length;
    const marker = `nb.${this.runId}.${index}`;
    const content = this.take(this.contents);
    const event: Record<string, unknown> = { ...content, evt: marker };
    const id = `nb-${this.runId}-${index}`;
    if (clientId === 'id') event.id = id;
    const neighbour: JwcNeighbour = {
      marker,
      event,
      millis: Math.floor(millisOf(content.t)),
      clientId: clientId === undefined ? undefined : { field: clientId, value: id },
      acknowledged: false,
      refusedWith4xx: false,
    };
    this.neighbours.push(neighbour);
    this.figures.neighboursSent++;
    return neighbour;
  }

  /** Marks neighbours (at `indexes` of the batch) from a `/t` answer. */
  private judge(
    neighbours: JwcNeighbour[],
    indexes: number[],
    pure: boolean,
    job: Job,
    answer: Answer,
  ): void {
    if (answer.error || answer.status >= 500) return; // recorded as a failure already
    if (answer.status !== 200) {
      if (pure) {
        this.recorder.fail({
          input: this.figures.input,
          reason: 'neighbour refused',
          what: 'a valid neighbour request was refused',
          kind: job.kind,
          request: truncate(bodyText(job.body)),
          status: answer.status,
          response: truncate(answer.text, 600),
        });
      }
      for (const n of neighbours) if (!n.acknowledged) n.refusedWith4xx = true;
      return;
    }
    let rejected = new Set<number>();
    try {
      const parsed = JSON.parse(answer.text) as IngestAnswer;
      rejected = new Set((parsed.rejected ?? []).map((r) => r.index));
    } catch {
      // a 200 without JSON: every neighbour counts as acknowledged
    }
    neighbours.forEach((n, i) => {
      if (rejected.has(indexes[i])) {
        this.recorder.fail({
          input: this.figures.input,
          reason: 'neighbour rejected',
          what: `valid neighbour ${n.marker} rejected`,
          kind: job.kind,
          request: truncate(toJsonText(n.event)),
          status: answer.status,
          response: truncate(answer.text, 600),
        });
        return;
      }
      n.refusedWith4xx = false;
      if (!n.acknowledged) {
        n.acknowledged = true;
        if (n.clientId) this.withClientId.push(n);
      }
    });
    if (pure && job.kind !== 'resend' && rejected.size === 0 && this.resendable.length < 200) {
      this.resendable.push({ ...job, kind: 'resend' });
    }
  }

  private neighbourJob(): Job {
    const shape = Math.floor(this.random() * 4);
    if (shape <= 1) {
      // One event on its own, with an Idempotency-Key, an id or neither.
      const clientId = (['idempotency-key', 'id', undefined] as const)[Math.floor(this.random() * 3)];
      const n = this.newNeighbour(clientId);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (n.clientId?.field === 'idempotency-key') headers['idempotency-key'] = n.clientId.value;
      const job: Job = {
        input: 'jwc',
        kind: 'neighbour-single',
        path: '/t',
        method: 'POST',
        headers,
        body: toJsonText({ schema: JWC_SCHEMA, ...n.event }),
        payloads: 0,
        oversize: false,
      };
      job.onAnswer = (answer, sent) => this.judge([n], [0], true, sent, answer);
      return job;
    }
    const count = 1 + Math.floor(this.random() * 20);
    const batch = Array.from({ length: count }, () =>
      this.newNeighbour(this.random() < 0.5 ? 'id' : undefined),
    );
    const text = toJsonText({ schema: JWC_SCHEMA, batch: batch.map((n) => n.event) });
    const gzip = shape === 3;
    const job: Job = {
      input: 'jwc',
      kind: gzip ? 'neighbour-batch-gzip' : 'neighbour-batch',
      path: '/t',
      method: 'POST',
      headers: gzip
        ? { 'content-type': 'application/json', 'content-encoding': 'gzip' }
        : { 'content-type': 'application/json' },
      body: gzip ? gzipSync(text) : text,
      payloads: 0,
      oversize: false,
    };
    job.onAnswer = (answer, sent) =>
      this.judge(
        batch,
        batch.map((_, i) => i),
        true,
        sent,
        answer,
      );
    return job;
  }

  private mixedBatchJob(): Job {
    const big = this.random() < 0.1;
    const hostileCount = big
      ? JWC_MAX_BATCH - 5
      : 1 + Math.floor(this.random() * Math.min(400, this.eventTarget - this.eventPayloads));
    const neighbours = Array.from({ length: 1 + Math.floor(this.random() * 4) }, () =>
      this.newNeighbour(this.random() < 0.5 ? 'id' : undefined),
    );
    const items: unknown[] = Array.from({ length: hostileCount }, () => this.take(this.events));
    const indexes: number[] = [];
    for (const n of neighbours) {
      const at = Math.floor(this.random() * (items.length + 1));
      items.splice(at, 0, n.event);
    }
    neighbours.forEach((n) => indexes.push(items.indexOf(n.event)));
    this.eventPayloads += hostileCount;
    const job: Job = {
      input: 'jwc',
      kind: 'mixed-batch',
      path: '/t',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: toJsonText({ schema: JWC_SCHEMA, batch: items }),
      payloads: hostileCount,
      oversize: false,
    };
    job.onAnswer = (answer, sent) => this.judge(neighbours, indexes, false, sent, answer);
    return job;
  }

  /** Events reusing acknowledged neighbours' client ids: other content, another day, or identical. */
  private hijackJob(): Job {
    const variants: HijackVariant[] = ['other-content', 'other-day', 'same-content'];
    const events: Record<string, unknown>[] = [];
    const count = 1 + Math.floor(this.random() * 3);
    let idempotencyKey: string | undefined;
    for (let i = 0; i < count; i++) {
      const victim = this.withClientId[Math.floor(this.random() * this.withClientId.length)];
      const variant = variants[Math.floor(this.random() * variants.length)];
      const event: Record<string, unknown> = { ...victim.event };
      if (victim.clientId?.field === 'idempotency-key') {
        if (count > 1 || idempotencyKey !== undefined) continue; // a key applies to a single event only
        idempotencyKey = victim.clientId.value;
      }
      if (variant === 'other-content') event.evt = `hj.${this.runId}.${this.hijacks++}`;
      if (variant === 'other-day') event.t = victim.millis - 2 * DAY_MS;
      if (variant !== 'same-content') this.figures.hijacksSent++;
      events.push(event);
    }
    if (events.length === 0) return this.bodyJob();
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
    this.eventPayloads += events.length;
    return {
      input: 'jwc',
      kind: 'client-id-reuse',
      path: '/t',
      method: 'POST',
      headers,
      body: toJsonText(
        idempotencyKey !== undefined
          ? { schema: JWC_SCHEMA, ...events[0] }
          : { schema: JWC_SCHEMA, batch: events },
      ),
      payloads: events.length,
      oversize: false,
    };
  }

  private bodyJob(): Job {
    const hostile = this.take(this.bodies);
    this.bodyPayloads++;
    return {
      input: 'jwc',
      kind: hostile.kind,
      path: `/t${hostile.pathSuffix}`,
      method: hostile.method,
      headers: hostile.headers,
      body: hostile.body,
      payloads: 1,
      oversize: hostile.oversize,
    };
  }

  /** Reads back every neighbour marker and hijack marker stored in the window. */
  async check(baseUrl: string): Promise<void> {
    const day = (millis: number) => new Date(millis).toISOString().slice(0, 10);
    const stats = await graphql(
      baseUrl,
      'query($from: String, $to: String) { appStats(from: $from, to: $to) { byEvent { key events } } }',
      { from: day(this.now - 8 * DAY_MS), to: day(this.now + DAY_MS) },
    );
    const rows = (stats?.data?.appStats?.byEvent ?? null) as { key: string; events: number }[] | null;
    if (rows === null) throw new Error(`appStats failed: ${truncate(JSON.stringify(stats), 600)}`);
    const stored = new Map(rows.map((r) => [r.key, r.events]));
    const figures = this.figures;
    const known = new Set<string>();
    for (const n of this.neighbours) {
      known.add(n.marker);
      const count = stored.get(n.marker) ?? 0;
      if (n.acknowledged) {
        figures.neighboursAcknowledged++;
        if (count === 1) figures.neighboursStoredOnce++;
        else if (count === 0) figures.neighboursLost++;
        else figures.neighboursDoubled++;
        if (count !== 1) {
          this.recorder.fail({
            input: this.figures.input,
            reason: count === 0 ? 'neighbour lost' : 'neighbour doubled',
            what: `acknowledged neighbour ${n.marker} stored ${count} times`,
            kind: 'neighbour',
            request: truncate(toJsonText(n.event)),
            status: 200,
            response: '',
          });
        }
      } else if (n.refusedWith4xx && count > 0) {
        figures.neighboursStoredThoughRefused++;
      }
    }
    for (const [key, events] of stored) {
      if (key.startsWith(`nb.${this.runId}.`) && !known.has(key)) figures.strays += events;
      if (key.startsWith(`hj.${this.runId}.`)) figures.hijacksStored += events;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// DevLake reports
// ---------------------------------------------------------------------------------------------

interface Connection {
  id: number;
  token?: string;
  /** The API key the connection was created with (the collector's credential, for `/api/rest`). */
  apiKey: string;
}

/** The collector's own path form: behind DevLake's key gate, reached with the connection's API key. */
const GATED_PREFIX = '/api/rest';

interface ReportNeighbour {
  developer: string;
  report: ReportNeighbourContent & { developer: string };
  acknowledged: boolean;
}

const CONNECTIONS = '/plugins/developer_telemetry/connections';

async function createConnection(baseUrl: string, name: string, token?: string): Promise<Connection> {
  const created = await request(`${baseUrl}${CONNECTIONS}`, {
    body: token === undefined ? { name } : { name, secretToken: token },
  });
  if (created.status !== 200)
    throw new Error(`could not create a connection: ${JSON.stringify(created.body)}`);
  return { id: Number(created.body.id), token, apiKey: String(created.body.apiKey.apiKey) };
}

/**
 * A row's identity, compared with text that cannot be stored as sent made equal: a lone surrogate
 * (not UTF-8) reads back as one or more U+FFFD, so every run of them counts as one.
 */
const rowKey = (developer: string, date: string) =>
  Buffer.from(`${developer}\u0000${date}`)
    .toString()
    .replace(/\uFFFD+/g, '\uFFFD');

interface MetricRow {
  developerId: string;
  date: string;
  activeHours: number;
}

async function allRows(baseUrl: string, connectionId: number): Promise<MetricRow[]> {
  const rows: MetricRow[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await graphql(
      baseUrl,
      `
        query ($c: Int, $o: Int) {
          developerMetrics(connectionId: $c, limit: 500, offset: $o) {
            totalCount
            hasMore
            items {
              developerId
              date
              activeHours
            }
          }
        }
      `,
      { c: connectionId, o: offset },
    );
    const result = page?.data?.developerMetrics as { hasMore: boolean; items: MetricRow[] } | undefined;
    if (!result) throw new Error(`developerMetrics failed: ${truncate(JSON.stringify(page), 600)}`);
    rows.push(...result.items);
    if (!result.hasMore) return rows;
  }
}

/**
 * DevLake jobs: one hostile report or body per request (one payload each), aimed at a fuzz
 * connection with its token, an open one, malformed connection ids, and the neighbours'
 * connection with wrong or missing credentials (attempted takeovers of neighbours' rows).
 */
class DevLakeCampaign {
  readonly neighbours: ReportNeighbour[] = [];
  private readonly bodies: Iterator<HostileBody>;
  private readonly targets: Iterator<ReportTarget>;
  private readonly contents: Iterator<ReportNeighbourContent>;
  private readonly random: () => number;
  private readonly resendable: Job[] = [];
  /**
   * Developer and date of each report sent to a fuzz connection and not refused with a 4xx (a 200,
   * or a 5xx or no answer, after which it may still be stored): every stored row must be one.
   */
  private readonly mayBeStored = new Set<string>();
  private payloads = 0;
  private step = 0;

  constructor(
    private readonly runId: string,
    seed: number,
    private readonly runs: number,
    private readonly recorder: Recorder,
    now: number,
    private readonly connections: { neighbours: Connection; fuzz: Connection; open: Connection },
    private readonly expired: () => boolean,
  ) {
    this.bodies = corpus(hostileReportBodies(now), seed + 4_000_003);
    this.targets = corpus(reportTarget, seed + 5_000_003);
    this.contents = corpus(validReportContent(now), seed + 6_000_003);
    this.random = mulberry32(seed + 7_000_003);
  }

  private get figures(): InputFigures {
    return this.recorder.figures.devlake;
  }

  private take<T>(iterator: Iterator<T>): T {
    return iterator.next().value as T;
  }

  next = (): Job | undefined => {
    if (this.payloads >= this.runs || this.expired()) return undefined;
    const step = this.step++;
    if (step % 10 === 0) return this.neighbourJob();
    if (step % 37 === 11 && this.resendable.length > 0)
      return this.resendable[Math.floor(this.random() * this.resendable.length)];
    return this.hostileJob();
  };

  private reportPath(id: number | string, suffix = '', prefix = ''): string {
    return `${prefix}${CONNECTIONS}/${id}/report${suffix}`;
  }

  private neighbourJob(): Job {
    const content = this.take(this.contents);
    const developer = `nb-${this.runId}-${this.neighbours.length}`;
    const neighbour: ReportNeighbour = { developer, report: { ...content, developer }, acknowledged: false };
    this.neighbours.push(neighbour);
    this.figures.neighboursSent++;
    const { neighbours } = this.connections;
    // Every other neighbour comes as the collector sends it: its path form, its API key.
    const asCollector = this.neighbours.length % 2 === 1;
    const job: Job = {
      input: 'devlake',
      kind: 'neighbour-report',
      path: this.reportPath(neighbours.id, '', asCollector ? GATED_PREFIX : ''),
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${asCollector ? neighbours.apiKey : neighbours.token}`,
      },
      body: toJsonText(neighbour.report),
      payloads: 0,
      oversize: false,
    };
    job.onAnswer = (answer, sent) => {
      if (answer.status === 200) {
        if (!neighbour.acknowledged && this.resendable.length < 200)
          this.resendable.push({ ...job, kind: 'resend' });
        neighbour.acknowledged = true;
      } else if (!answer.error && answer.status < 500) {
        this.recorder.fail({
          input: this.figures.input,
          reason: 'neighbour refused',
          what: 'a valid neighbour report was refused',
          kind: sent.kind,
          request: truncate(bodyText(sent.body)),
          status: answer.status,
          response: truncate(answer.text, 600),
        });
      }
    };
    return job;
  }

  private hostileJob(): Job {
    const hostile = this.take(this.bodies);
    const target = this.take(this.targets);
    this.payloads++;
    const { neighbours, fuzz, open } = this.connections;
    let headers: Record<string, string> = { ...hostile.headers };
    let path: string;
    let body = hostile.body;
    let kind = hostile.kind;
    let method = hostile.method;
    if (target.connection === 'fuzz') {
      const gated = this.random() < 0.5;
      path = this.reportPath(fuzz.id, hostile.pathSuffix, gated ? GATED_PREFIX : '');
      headers.authorization = `Bearer ${gated ? fuzz.apiKey : fuzz.token}`;
    } else if (target.connection === 'open') {
      path = this.reportPath(open.id, hostile.pathSuffix);
    } else if (target.connection === 'neighbours') {
      path = this.reportPath(neighbours.id, hostile.pathSuffix);
      const auth = target.authorization;
      if (auth === 'fuzz-token') headers.authorization = `Bearer ${fuzz.token}`;
      else if (auth !== 'none') headers.authorization = auth.header;
      // Half of these try to overwrite an acknowledged neighbour's row with other figures.
      const acknowledged = this.neighbours.filter((n) => n.acknowledged);
      if (acknowledged.length > 0 && this.random() < 0.5) {
        const victim = acknowledged[Math.floor(this.random() * acknowledged.length)];
        const takeover = { ...victim.report, metrics: { active_hours: 23.75, tools_used: ['takeover'] } };
        body = toJsonText(takeover);
        headers = { 'content-type': 'application/json' };
        // Another connection's credential: its token on the plugin path, or its key behind the gate.
        const gated = auth === 'fuzz-token' && this.random() < 0.5;
        if (auth === 'fuzz-token') headers.authorization = `Bearer ${gated ? fuzz.apiKey : fuzz.token}`;
        else if (auth !== 'none') headers.authorization = auth.header;
        path = this.reportPath(neighbours.id, '', gated ? GATED_PREFIX : '');
        method = 'POST';
        kind = 'takeover-without-token';
      } else {
        kind = `${hostile.kind} (no credential)`;
      }
    } else {
      path = this.reportPath(encodeURI(target.connection.raw).replace(/%25/g, '%'), hostile.pathSuffix);
      if (target.authorization === 'right') headers.authorization = `Bearer ${fuzz.token}`;
      kind = `${hostile.kind} (connection "${target.connection.raw}")`;
    }
    const job: Job = {
      input: 'devlake',
      kind,
      path,
      method,
      headers,
      body,
      payloads: 1,
      oversize: hostile.oversize,
    };
    if (target.connection === 'fuzz' || target.connection === 'open') {
      job.onAnswer = (answer) => {
        if (!answer.error && answer.status >= 400 && answer.status < 500) return;
        try {
          const text = decodedText(body, hostile.headers).replace(/^\ufeff/, '');
          const { developer, date } = JSON.parse(text) as { developer?: unknown; date?: unknown };
          this.mayBeStored.add(rowKey(String(developer), String(date)));
        } catch {
          // not JSON once decoded: nothing of it can be stored
        }
      };
    }
    return job;
  }

  async check(baseUrl: string): Promise<void> {
    const figures = this.figures;
    const rows = await allRows(baseUrl, this.connections.neighbours.id);
    const byDeveloper = new Map<string, MetricRow[]>();
    for (const row of rows)
      byDeveloper.set(row.developerId, [...(byDeveloper.get(row.developerId) ?? []), row]);
    const known = new Set<string>();
    for (const n of this.neighbours) {
      known.add(n.developer);
      if (!n.acknowledged) continue;
      figures.neighboursAcknowledged++;
      const stored = byDeveloper.get(n.developer) ?? [];
      const expectedHours = n.report.metrics.active_hours ?? 0;
      const intact =
        stored.length === 1 && stored[0].date === n.report.date && stored[0].activeHours === expectedHours;
      if (stored.length === 0) figures.neighboursLost++;
      else if (stored.length > 1) figures.neighboursDoubled++;
      else if (intact) figures.neighboursStoredOnce++;
      else figures.neighboursLost++; // stored once, but not with what was sent: overwritten
      if (!intact) {
        this.recorder.fail({
          input: this.figures.input,
          reason: stored.length > 1 ? 'neighbour doubled' : 'neighbour lost or changed',
          what: `acknowledged neighbour ${n.developer} stored as ${JSON.stringify(stored)}`,
          kind: 'neighbour-report',
          request: truncate(toJsonText(n.report)),
          status: 200,
          response: '',
        });
      }
    }
    for (const row of rows) if (!known.has(row.developerId)) figures.strays++;
    for (const connection of [this.connections.fuzz, this.connections.open]) {
      for (const row of await allRows(baseUrl, connection.id)) {
        if (this.mayBeStored.has(rowKey(row.developerId, row.date))) continue;
        figures.alteredDates++;
        this.recorder.fail({
          input: this.figures.input,
          reason: 'altered date',
          what: `row of ${JSON.stringify(row.developerId)} stored on ${row.date}, a day no report of that developer carried`,
          kind: 'hostile-report',
          request: '',
          status: 200,
          response: '',
        });
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The campaign
// ---------------------------------------------------------------------------------------------

export async function runCampaign(
  options: CampaignOptions,
  onWindow?: WindowListener,
): Promise<CampaignResult> {
  const { url, seed, runs, concurrency } = options;
  const runId = `${seed.toString(36)}${Date.now().toString(36)}`;
  const now = Date.now();
  const figures = { jwc: newFigures('POST /t'), devlake: newFigures('DevLake report') };
  const recorder = new Recorder(figures);
  const connections = {
    neighbours: await createConnection(url, 'fuzz neighbours', `nb-token-${runId}`),
    fuzz: await createConnection(url, 'fuzz hostile', `fz-token-${runId}`),
    open: await createConnection(url, 'fuzz open'),
  };
  let deadline = Number.POSITIVE_INFINITY;
  const expired = () => performance.now() > deadline;
  const campaigns = {
    jwc: new JwcCampaign(runId, seed, runs, recorder, now, expired),
    devlake: new DevLakeCampaign(runId, seed, runs, recorder, now, connections, expired),
  };

  // One input after the other, each with its neighbours in its own window: run together they
  // share the embedded bus's single store queue, and both take longer than one after the other.
  onWindow?.('window-start');
  const started = performance.now();
  let cutShort = false;
  const windowEnd = started + options.maxWindowMs;
  for (const [index, input] of options.inputs.entries()) {
    const inputStarted = performance.now();
    // An equal share of what is left: time one input did not need goes to the next.
    deadline = inputStarted + (windowEnd - inputStarted) / (options.inputs.length - index);
    await drain(url, concurrency, campaigns[input].next, recorder);
    figures[input].durationMs = performance.now() - inputStarted;
    cutShort ||= expired();
  }
  const durationMs = performance.now() - started;
  onWindow?.('window-end');

  for (const input of options.inputs) await campaigns[input].check(url);
  return {
    seed,
    runs,
    runId,
    inputs: options.inputs.map((input) => figures[input]),
    failures: recorder.failures,
    failuresNotKept: recorder.notKept,
    durationMs,
    cutShort,
  };
}

/** The figures as a short text table. */
export function formatResult(result: CampaignResult, h: HealthFigures): string {
  const columns: [string, (f: InputFigures) => string | number][] = [
    ['input', (f) => f.input],
    ['payloads', (f) => f.payloads],
    ['requests', (f) => f.requests],
    ['2xx', (f) => f.status2xx],
    ['4xx', (f) => f.status4xx],
    ['5xx', (f) => f.status5xx],
    ['no answer', (f) => f.networkErrors],
    ['cut off (>limit)', (f) => f.cutOff],
    [
      'neighbours sent/acked/once',
      (f) => `${f.neighboursSent}/${f.neighboursAcknowledged}/${f.neighboursStoredOnce}`,
    ],
    ['lost', (f) => f.neighboursLost],
    ['doubled', (f) => f.neighboursDoubled],
    ['strays', (f) => f.strays],
    ['hijacks stored/sent', (f) => `${f.hijacksStored}/${f.hijacksSent}`],
    ['altered dates', (f) => f.alteredDates],
    ['leaks', (f) => f.leaks],
    ['duration s', (f) => (f.durationMs / 1000).toFixed(1)],
  ];
  const cells = [
    columns.map(([name]) => name),
    ...result.inputs.map((f) => columns.map(([, get]) => String(get(f)))),
  ];
  const widths = columns.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i])).join(' | ');
  return [
    `fuzz seed ${result.seed} (FUZZ_SEED), ${result.runs} payloads per input (FUZZ_RUNS), run ${result.runId}`,
    line(cells[0]),
    widths.map((w) => '-'.repeat(w)).join('-|-'),
    ...cells.slice(1).map(line),
    `/health: ${h.polls} polls, max ${h.maxMs.toFixed(1)} ms, p99 ${h.p99Ms.toFixed(1)} ms, p50 ${h.p50Ms.toFixed(1)} ms, ${h.over100Ms} at or over 100 ms, ${h.failures} failed`,
    `statuses: ${result.inputs.map((f) => `${f.input} ${JSON.stringify(f.statuses)}`).join('; ')}`,
    ...result.inputs.map((f) => {
      const slowest = Object.entries(f.byKind)
        .sort(([, a], [, b]) => b.totalMs - a.totalMs)
        .slice(0, 6)
        .map(
          ([kind, k]) =>
            `${kind} ${k.requests}× avg ${(k.totalMs / k.requests).toFixed(0)} ms max ${k.maxMs.toFixed(0)} ms`,
        );
      return `slowest kinds, ${f.input}: ${slowest.join('; ')}`;
    }),
    `window: ${(result.durationMs / 1000).toFixed(1)} s${result.cutShort ? ' (cut short at FUZZ_MAX_SECONDS: the server was too slow)' : ''}`,
  ].join('\n');
}
