import type { Batch, EachBatchPayload, Kafka } from 'kafkajs';
import { loadConfig } from '@th/platform';
import type { BatchHandler } from '../consumer/batch-handler';
import type { ConsumedBatch } from '../consumer/consumed-batch';
import type { DeadLetter } from '../consumer/dead-letter';
import { type MessageOutcome, OK, deadLetter, retry } from '../consumer/message-outcome';
import { EnvelopeRoutes } from '../envelope-routes';
import { KafkaBatchConsumer } from './kafka-batch.consumer';

/** A consumed batch of three messages at offsets 10-12 of partition 2, as kafkajs hands it over. */
function payload(overrides: Partial<EachBatchPayload> = {}): EachBatchPayload & { resolved: string[] } {
  const resolved: string[] = [];
  const batch = {
    topic: 'telemetry.reports.v1',
    partition: 2,
    messages: ['10', '11', '12'].map((offset) => ({
      offset,
      key: Buffer.from('k'),
      value: Buffer.from(`{"n":${offset}}`),
    })),
    offsetLag: () => '0',
  } as unknown as Batch;
  return {
    batch,
    resolved,
    resolveOffset: (offset: string) => resolved.push(offset),
    heartbeat: jest.fn(async () => undefined),
    isRunning: () => true,
    isStale: () => false,
    pause: jest.fn(),
    commitOffsetsIfNecessary: jest.fn(),
    uncommittedOffsets: jest.fn(),
    ...overrides,
  };
}

function consumerWith(handle: (batch: ConsumedBatch) => Promise<MessageOutcome[]>) {
  const letters: DeadLetter[] = [];
  const handler: BatchHandler = { handle };
  const consumer = new KafkaBatchConsumer(
    {} as Kafka,
    loadConfig({ PROJECTOR_RETRY_MAX_MS: '100' }),
    new EnvelopeRoutes([{ kind: 'developer-report', topic: 'telemetry.reports.v1' }]),
    handler,
    { send: async (sent) => void letters.push(...sent) },
  );
  const commitOffsets = jest.fn(async () => undefined);
  Object.assign(consumer, { consumer: { commitOffsets } });
  return { consumer, commitOffsets, letters };
}

describe('KafkaBatchConsumer', () => {
  it('hands the whole batch over with a token naming its topic, partition and offsets, then commits past it', async () => {
    const seen: ConsumedBatch[] = [];
    const { consumer, commitOffsets } = consumerWith(async (batch) => {
      seen.push(batch);
      return batch.messages.map(() => OK);
    });
    const p = payload();
    await consumer.consume(p);
    expect(seen).toEqual([
      expect.objectContaining({ deduplicationToken: 'telemetry.reports.v1/2/10-12', partition: 2 }),
    ]);
    expect(p.resolved).toEqual(['12']);
    expect(commitOffsets).toHaveBeenCalledWith([
      { topic: 'telemetry.reports.v1', partition: 2, offset: '13' },
    ]);
  });

  it('dead-letters a message that can never be stored, with its origin, and moves on', async () => {
    const { consumer, commitOffsets, letters } = consumerWith(async () => [
      OK,
      deadLetter('invalid developer-report payload: report.date is required', 'e-11', 'developer-report'),
      OK,
    ]);
    await consumer.consume(payload());
    expect(letters).toEqual([
      {
        envelopeId: 'e-11',
        kind: 'developer-report',
        reason: 'invalid developer-report payload: report.date is required',
        original: Buffer.from('{"n":11}'),
        origin: { topic: 'telemetry.reports.v1', partition: 2, offset: '11', key: 'k' },
      },
    ]);
    expect(commitOffsets).toHaveBeenCalledTimes(1);
  });

  it('retries a batch whose store is unreachable with backoff until it is stored, committing only then', async () => {
    let calls = 0;
    const { consumer, commitOffsets, letters } = consumerWith(async (batch) => {
      calls++;
      expect(commitOffsets).not.toHaveBeenCalled();
      if (calls < 3) return batch.messages.map(() => retry(new Error('ClickHouse is restarting')));
      return [OK, deadLetter('bad'), OK];
    });
    await consumer.consume(payload());
    expect(calls).toBe(3);
    expect(letters).toHaveLength(1); // dead letters are sent once, when the batch is finished
    expect(commitOffsets).toHaveBeenCalledTimes(1);
  });

  it('abandons the batch uncommitted when the consumer stops or the batch goes stale', async () => {
    let running = true;
    const { consumer, commitOffsets } = consumerWith(async (batch) => {
      running = false;
      return batch.messages.map(() => retry(new Error('store down')));
    });
    const p = payload({ isRunning: () => running });
    await consumer.consume(p);
    expect(p.resolved).toEqual([]);
    expect(commitOffsets).not.toHaveBeenCalled();
  });
});
