import type { Batch, EachBatchPayload, Kafka } from 'kafkajs';
import { KafkaBatchServer } from './kafka-batch.server';

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

function serverWith(handler: (data: unknown) => Promise<void>) {
  const server = new KafkaBatchServer({} as Kafka, {
    KAFKA_CONSUMER_GROUP: 'g',
    PROJECTOR_MAX_BATCH_BYTES: 1_048_576,
    PROJECTOR_RETRY_MAX_MS: 100,
  });
  server.addHandler('telemetry.reports.v1', handler, true);
  const commitOffsets = jest.fn(async () => undefined);
  Object.assign(server, { consumer: { commitOffsets } });
  const consume = (p: EachBatchPayload) =>
    (server as unknown as { consume(p: EachBatchPayload): Promise<void> }).consume(p);
  return { consume, commitOffsets };
}

describe('KafkaBatchServer', () => {
  it('hands the whole batch over with a token naming its topic, partition and offsets, then commits past it', async () => {
    const seen: unknown[] = [];
    const { consume, commitOffsets } = serverWith(async (data) => {
      seen.push(data);
    });
    const p = payload();
    await consume(p);
    expect(seen).toEqual([
      expect.objectContaining({ deduplicationToken: 'telemetry.reports.v1/2/10-12', partition: 2 }),
    ]);
    expect(p.resolved).toEqual(['12']);
    expect(commitOffsets).toHaveBeenCalledWith([
      { topic: 'telemetry.reports.v1', partition: 2, offset: '13' },
    ]);
  });

  it('retries a failing batch with backoff until it is stored, committing only then', async () => {
    let calls = 0;
    const { consume, commitOffsets } = serverWith(async () => {
      calls++;
      if (calls < 3) throw new Error('ClickHouse is restarting');
      expect(commitOffsets).not.toHaveBeenCalled();
    });
    await consume(payload());
    expect(calls).toBe(3);
    expect(commitOffsets).toHaveBeenCalledTimes(1);
  });

  it('abandons the batch uncommitted when the consumer stops or the batch goes stale', async () => {
    let running = true;
    const { consume, commitOffsets } = serverWith(async () => {
      running = false;
      throw new Error('store down');
    });
    const p = payload({ isRunning: () => running });
    await consume(p);
    expect(p.resolved).toEqual([]);
    expect(commitOffsets).not.toHaveBeenCalled();
  });
});
