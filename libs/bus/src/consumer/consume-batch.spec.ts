import { TransientError, metricsRegistry } from '@th/platform';
import { consumeBatch } from './consume-batch';
import type { ConsumedBatch } from './consumed-batch';
import type { DeadLetter } from './dead-letter';
import { OK, deadLetter } from './message-outcome';

const batch = (topic: string): ConsumedBatch => ({
  topic,
  partition: 0,
  deduplicationToken: `${topic}/0/0-1`,
  messages: [
    { key: 'a', value: Buffer.from('{"a":1}'), offset: '0' },
    { key: 'b', value: Buffer.from('{"b":1}'), offset: '1' },
  ],
});

const running = { isRunning: () => true, retryMaxMs: 50 };

async function sample(name: string, topic: string): Promise<number | undefined> {
  const metric = (await metricsRegistry.getSingleMetric(name)?.get())?.values.find(
    (v) => v.labels.topic === topic,
  );
  return metric?.value;
}

describe('consumeBatch', () => {
  it('dead-letters what a handler throws for the batch when the error is not retriable: no retry loop', async () => {
    let calls = 0;
    const letters: DeadLetter[] = [];
    const result = await consumeBatch(
      batch('t-bug'),
      {
        handle: () => {
          calls++;
          throw new SyntaxError('Unexpected token');
        },
      },
      { send: async (sent) => void letters.push(...sent) },
      running,
    );
    expect(calls).toBe(1);
    expect(result.status).toBe('done');
    expect(letters.map((l) => l.reason)).toEqual([
      'the handler failed: SyntaxError: Unexpected token',
      'the handler failed: SyntaxError: Unexpected token',
    ]);
  });

  it('retries a retriable failure with a metric while it lasts, and sends dead letters once', async () => {
    let calls = 0;
    const letters: DeadLetter[] = [];
    const result = await consumeBatch(
      batch('t-flaky'),
      {
        handle: async () => {
          calls++;
          if (calls < 3) throw new TransientError('store unreachable');
          return [OK, deadLetter('bad row', 'id-b', 'k')];
        },
      },
      { send: async (sent) => void letters.push(...sent) },
      running,
    );
    expect(result).toEqual({ status: 'done', outcomes: [OK, deadLetter('bad row', 'id-b', 'k')] });
    expect(letters).toHaveLength(1);
    expect(await sample('projector_batch_retries_total', 't-flaky')).toBe(2);
    expect(await sample('projector_batch_retrying', 't-flaky')).toBe(0);
    expect(await sample('projector_dead_letters_total', 't-flaky')).toBe(1);
  });

  it('retries while the dead-letter sink is unreachable rather than losing the letters', async () => {
    let sends = 0;
    const result = await consumeBatch(
      batch('t-sink'),
      { handle: async () => [deadLetter('bad'), OK] },
      {
        send: async () => {
          sends++;
          if (sends < 2) throw new Error('broker not available');
        },
      },
      running,
    );
    expect(result.status).toBe('done');
    expect(sends).toBe(2);
  });

  it('gives up after giveUpAfterMs, reporting the last failure', async () => {
    const failure = new TransientError('store unreachable');
    const result = await consumeBatch(
      batch('t-down'),
      {
        handle: async () => {
          throw failure;
        },
      },
      { send: async () => undefined },
      { ...running, giveUpAfterMs: 200 },
    );
    expect(result).toEqual({ status: 'abandoned', error: failure });
  });
});
