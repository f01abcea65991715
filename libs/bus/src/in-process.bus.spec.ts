import type { Envelope } from '@th/contracts';
import { ServiceUnavailableError, loadConfig } from '@th/platform';
import type { ConsumedBatch } from './consumer/consumed-batch';
import type { DeadLetter } from './consumer/dead-letter';
import { type MessageOutcome, OK, deadLetter, retry } from './consumer/message-outcome';
import { EnvelopeRoutes } from './envelope-routes';
import { InProcessBus, NotStoredError } from './in-process.bus';

const envelope = (id: string, payload: unknown = {}): Envelope => ({
  id,
  kind: 'developer-report',
  source: 'test',
  key: id,
  receivedAt: '2026-02-11T10:00:00.000Z',
  schemaVersion: 1,
  payload,
});

const idsOf = (batch: ConsumedBatch) =>
  batch.messages.map((m) => (JSON.parse(String(m.value)) as Envelope).id);

/** The bus over a handler whose answer per message the test decides. */
function busWith(handle: (batch: ConsumedBatch) => MessageOutcome[], env: NodeJS.ProcessEnv = {}) {
  const batches: ConsumedBatch[] = [];
  const letters: DeadLetter[] = [];
  const bus = new InProcessBus(
    {
      handle: async (batch) => {
        batches.push(batch);
        return handle(batch);
      },
    },
    { send: async (sent) => void letters.push(...sent) },
    new EnvelopeRoutes([{ kind: 'developer-report', topic: 'telemetry.reports.v1' }]),
    loadConfig(env),
  );
  return { bus, batches, letters };
}

describe('InProcessBus', () => {
  it('stores publishes made meanwhile as one batch and resolves each once stored', async () => {
    const { bus, batches } = busWith((batch) => batch.messages.map(() => OK));
    await Promise.all([bus.publish([envelope('a'), envelope('b')]), bus.publish([envelope('c')])]);
    expect(batches.map(idsOf)).toEqual([['a', 'b', 'c']]);
  });

  it('gives every batch its own deduplication token, so no batch can be taken for an earlier one', async () => {
    const { bus, batches } = busWith((batch) => batch.messages.map(() => OK));
    await bus.publish([envelope('a')]);
    await bus.publish([envelope('a')]);
    expect(batches[0].deduplicationToken).not.toBe(batches[1].deduplicationToken);
  });

  it('answers only the publish whose envelope was dead-lettered with 422, and stores its neighbours', async () => {
    const { bus, letters } = busWith((batch) =>
      idsOf(batch).map((id) => (id === 'poison' ? deadLetter('the store refused the rows', id) : OK)),
    );
    const results = await Promise.allSettled([
      bus.publish([envelope('a')]),
      bus.publish([envelope('poison')]),
      bus.publish([envelope('c')]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const error = (results[1] as PromiseRejectedResult).reason as NotStoredError;
    expect(error).toBeInstanceOf(NotStoredError);
    expect(error.status).toBe(422);
    // The store's own words stay in the dead letter, for operators; the client is told what happened.
    expect(error.message).toBe(
      'the request could not be stored and was kept in the dead letters for an operator to inspect',
    );
    expect(letters.map((l) => [l.envelopeId, l.reason])).toEqual([['poison', 'the store refused the rows']]);
  });

  it('retries while the store fails, then stores the batch once it is back', async () => {
    let attempts = 0;
    const { bus, batches } = busWith((batch) => {
      attempts++;
      return batch.messages.map(() => (attempts < 3 ? retry(new Error('ECONNREFUSED')) : OK));
    });
    await bus.publish([envelope('a')]);
    expect(attempts).toBe(3);
    expect(new Set(batches.map((b) => b.deduplicationToken)).size).toBe(1);
  });

  it('answers 503 with Retry-After when the store stays down past EMBEDDED_RETRY_WINDOW_MS', async () => {
    const { bus } = busWith((batch) => batch.messages.map(() => retry(new Error('ECONNREFUSED'))), {
      EMBEDDED_RETRY_WINDOW_MS: '250',
    });
    const failed = bus.publish([envelope('a')]);
    await expect(failed).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(failed).rejects.toMatchObject({ status: 503, headers: { 'Retry-After': '5' } });
  });

  it('refuses on its own a publish that cannot be serialised, storing the others', async () => {
    const { bus, batches } = busWith((batch) => batch.messages.map(() => OK));
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const results = await Promise.allSettled([
      bus.publish([envelope('a')]),
      bus.publish([envelope('bad', circular)]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect(batches.map(idsOf)).toEqual([['a']]);
  });

  it('refuses an envelope kind no domain declared', () => {
    const { bus } = busWith((batch) => batch.messages.map(() => OK));
    expect(() => bus.publish([{ ...envelope('a'), kind: 'nobody-declared-this' }])).toThrow(
      'no domain declares the envelope kind',
    );
  });
});
