import { randomUUID } from 'node:crypto';
import { makeDataDir, removeDataDir } from '../helpers/embedded-app';
import {
  type ProjectorProcess,
  type RunningRole,
  eventually,
  spawnProjector,
  startGateway,
  uniqueGroup,
} from '../helpers/distributed';
import { request } from '../helpers/http';

const TRACES = 20;
const BATCHES = 15;
const EVENTS_PER_BATCH = 10;
const EVENTS = BATCHES * EVENTS_PER_BATCH;
/** The projector is killed once this many of all first sends are answered. */
const KILL_AFTER = Math.floor((TRACES * BATCHES) / 2);

interface SentEvent {
  seq: number;
  ts: string;
  type: string;
  payload: Record<string, unknown>;
}

interface IngestAnswer {
  trace_id: string;
  accepted_event_ids: string[];
  duplicate_event_ids: string[];
  rejected: unknown[];
}

interface StoredEvent {
  event_id: string;
  seq: number;
  client_seq: number | null;
}

/** Every event type, each with a valid payload that differs per event. */
function event(k: number): SentEvent {
  const ts = new Date(Date.UTC(2024, 4, 1) + k * 1_000).toISOString();
  const payloads: [string, Record<string, unknown>][] = [
    ['annotation', { note: `note ${k}` }],
    ['commit', { sha: `sha${k}`, message: `commit ${k}`, files_changed: k % 7 }],
    ['command', { command: `make step-${k}`, exit_code: k % 2 }],
    ['test', { passed: k, failed: k % 3 }],
    ['edit', { file: `src/file-${k}.ts`, change_summary: `+${k}/-${k % 5}` }],
  ];
  const [type, payload] = payloads[k % payloads.length];
  return { seq: k, ts, type, payload };
}

/** One trace of the run: its own id, its batches in send order, and what the gateway accepted. */
interface Trace {
  id: string;
  prId: string;
  batches: SentEvent[][];
  /** Accepted event ids in the order they were sent: the order the server must number them in. */
  accepted: string[];
  /** Seqs as GET /traces/:id showed them just before the kill. */
  visibleBeforeKill: Map<string, number>;
}

function makeTrace(n: number): Trace {
  const batches = Array.from({ length: BATCHES }, (_, b) =>
    Array.from({ length: EVENTS_PER_BATCH }, (_, i) => event(b * EVENTS_PER_BATCH + i + 1)),
  );
  return {
    id: randomUUID(),
    prId: `crash/traces#${n + 1}`,
    batches,
    accepted: [],
    visibleBeforeKill: new Map(),
  };
}

/**
 * kill -9 of the projector while PR trace batches are in flight, then a restart on the same data
 * and consumer group: every accepted event is stored once, each trace numbered 1..N in arrival
 * order, and a seq a reader already saw never changes.
 */
describe('PR traces: projector killed with SIGKILL mid-stream', () => {
  const dataDir = makeDataDir();
  const group = uniqueGroup();
  let gateway: RunningRole;
  /** A second gateway replica: it does not know what the first published, so its resends reach the projector. */
  let replica: RunningRole;
  let projector: ProjectorProcess | undefined;

  beforeAll(async () => {
    gateway = await startGateway();
    replica = await startGateway();
  });

  afterAll(async () => {
    projector?.child.kill('SIGKILL');
    await projector?.exited;
    await gateway?.stop();
    await replica?.stop();
    removeDataDir(dataDir);
  });

  const ingest = async (via: RunningRole, trace: Trace, events: SentEvent[]): Promise<IngestAnswer> => {
    const response = await request(`${via.url}/ingest`, {
      body: { trace_id: trace.id, pr_id: trace.prId, repo_name: 'crash/traces', branch: 'main', events },
    });
    expect(response.status).toBe(200);
    return response.body as IngestAnswer;
  };

  const storedEvents = async (trace: Trace): Promise<StoredEvent[]> => {
    const response = await request(`${projector!.url}/traces/${trace.id}`);
    if (response.status === 404) return [];
    expect(response.status).toBe(200);
    return response.body.events as StoredEvent[];
  };

  /** Waits until the trace holds every one of `ids` (and maybe more: the caller asserts exactly). */
  const eventsOnceHolding = (trace: Trace, ids: readonly string[]) =>
    eventually(
      async () => {
        const events = await storedEvents(trace);
        const stored = new Set(events.map((e) => e.event_id));
        return ids.every((id) => stored.has(id)) ? events : undefined;
      },
      60_000,
      `${ids.length} events of trace ${trace.id}`,
    );

  it('stores every accepted event once, numbered 1..N in send order, with seqs stable across the crash', async () => {
    const traces = Array.from({ length: TRACES }, (_, n) => makeTrace(n));
    projector = await spawnProjector(dataDir, { KAFKA_CONSUMER_GROUP: group });
    const crashed = projector;

    let answered = 0;
    let killing: Promise<void> | undefined;
    /** Snapshot what readers can already see, then kill -9 while other traces keep sending. */
    const snapshotAndKill = async () => {
      const visible = await eventually(
        async () => {
          const all = await Promise.all(traces.map(storedEvents));
          return all.some((events) => events.length > 0) ? all : undefined;
        },
        30_000,
        'some events visible before the kill',
      );
      visible.forEach((events, n) => {
        for (const e of events) traces[n].visibleBeforeKill.set(e.event_id, e.seq);
      });
      crashed.child.kill('SIGKILL');
    };

    // Batches of one trace go one after another (so the arrival order is known), traces concurrently.
    const sendTrace = async (trace: Trace) => {
      for (let b = 0; b < BATCHES; b++) {
        // Once the kill is under way, the rest is sent after it: the projector cannot have caught
        // up with everything before it died, however fast it is on this machine.
        if (killing) await killing;
        if (b > 0 && b % 3 === 0) {
          // A client's resend of the previous batch: the same gateway answers it as duplicates...
          const previous = trace.batches[b - 1];
          const again = await ingest(gateway, trace, previous);
          expect(again.accepted_event_ids).toEqual([]);
          expect(again.duplicate_event_ids).toHaveLength(previous.length);
          // ...another replica publishes it again, and the projector must skip every event of it.
          await ingest(replica, trace, previous);
        }
        const answer = await ingest(gateway, trace, trace.batches[b]);
        expect(answer).toMatchObject({ trace_id: trace.id, duplicate_event_ids: [], rejected: [] });
        expect(answer.accepted_event_ids).toHaveLength(EVENTS_PER_BATCH);
        trace.accepted.push(...answer.accepted_event_ids);
        if (++answered === KILL_AFTER) killing = snapshotAndKill();
      }
    };
    await Promise.all(traces.map(sendTrace));
    await killing;
    expect(await crashed.exited).toBe('SIGKILL');
    const seenBeforeKill = traces.reduce((sum, t) => sum + t.visibleBeforeKill.size, 0);
    expect(seenBeforeKill).toBeGreaterThan(0);
    // The kill must land with work still in flight, or it proves nothing about redelivery.
    expect(seenBeforeKill).toBeLessThan(TRACES * EVENTS);

    projector = await spawnProjector(dataDir, { KAFKA_CONSUMER_GROUP: group });
    const expectedSeqs = Array.from({ length: EVENTS }, (_, i) => i + 1);
    for (const trace of traces) {
      const events = await eventsOnceHolding(trace, trace.accepted);
      // Each accepted event once, and event k of the send order has seq k: dense, no repeats.
      expect(events.map((e) => e.event_id)).toEqual(trace.accepted);
      expect(events.map((e) => e.seq)).toEqual(expectedSeqs);
      expect(events.map((e) => e.client_seq)).toEqual(expectedSeqs);
      // What a reader saw before the crash is still true after it.
      const seqOf = new Map(events.map((e) => [e.event_id, e.seq]));
      for (const [id, seq] of trace.visibleBeforeKill) expect(seqOf.get(id)).toBe(seq);
    }

    // After the restart: a resend through a replica that never saw the batch is published again,
    // yet stores nothing; a marker batch after it (same partition, so projected later) shows when.
    const trace = traces[0];
    const last = trace.batches[BATCHES - 1];
    const resent = await ingest(replica, trace, last);
    expect(resent.accepted_event_ids).toEqual(trace.accepted.slice(-EVENTS_PER_BATCH));
    expect((await ingest(gateway, trace, last)).accepted_event_ids).toEqual([]);
    const marker = await ingest(gateway, trace, [event(EVENTS + 1)]);
    expect(marker.accepted_event_ids).toHaveLength(1);

    const after = await eventsOnceHolding(trace, marker.accepted_event_ids);
    expect(after.map((e) => e.event_id)).toEqual([...trace.accepted, ...marker.accepted_event_ids]);
    expect(after.map((e) => e.seq)).toEqual([...expectedSeqs, EVENTS + 1]);
  }, 120_000);
});
