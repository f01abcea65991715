import type { Kafka } from 'kafkajs';
import { CompactedTable } from './compacted-topic';

/**
 * The restart guard alone (the Kafka path itself is tested on a real broker in test/kafka): a
 * stand-in client records the consumer's settings, so the guard kafkajs calls after a crash can
 * be asked directly, before and after the table is closed.
 */
describe('CompactedTable consumer restarts', () => {
  it('lets kafkajs restart a crashed consumer while open, never once closed', async () => {
    let settings: { retry?: { restartOnFailure?: (error: Error) => Promise<boolean> } } = {};
    const client = {
      consumer: (config: typeof settings) => {
        settings = config;
        return { disconnect: () => Promise.resolve() };
      },
      producer: () => ({ disconnect: () => Promise.resolve() }),
    } as unknown as Kafka;
    const table = new CompactedTable(client, {
      topic: 'state',
      keyOf: () => 'k',
      validate: (value) => ({ ok: true, value }),
      supersedes: () => true,
    });
    const restart = settings.retry?.restartOnFailure;
    expect(restart).toBeDefined();
    await expect(restart!(new Error('broker gone'))).resolves.toBe(true);
    await table.close();
    await expect(restart!(new Error('broker gone'))).resolves.toBe(false);
  });
});

describe('CompactedTable end offsets', () => {
  /** A table on a stand-in client whose admin answers ListOffsets from `answers`, in turn. */
  function tableWith(answers: (() => unknown)[]) {
    let calls = 0;
    const admin = {
      connect: () => Promise.resolve(),
      disconnect: () => Promise.resolve(),
      fetchTopicOffsets: () => {
        const answer = answers[Math.min(calls++, answers.length - 1)]();
        return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
      },
    };
    const client = {
      consumer: () => ({ disconnect: () => Promise.resolve() }),
      producer: () => ({ disconnect: () => Promise.resolve() }),
      admin: () => admin,
    } as unknown as Kafka;
    const table = new CompactedTable(client, {
      topic: 'state',
      keyOf: () => 'k',
      validate: (value) => ({ ok: true, value }),
      supersedes: () => true,
    });
    // The start-up step under test, on its own (the whole start is tested on a real broker).
    const endOffsets = () =>
      (table as unknown as { endOffsets(): Promise<Map<number, bigint>> }).endOffsets();
    return { endOffsets, calls: () => calls };
  }

  const notLeader = () =>
    Object.assign(new Error('This server is not the leader for that topic-partition'), { retriable: true });

  it('asks again while a just-created topic has no leader (a retriable answer), then reads the offsets', async () => {
    const { endOffsets, calls } = tableWith([notLeader, notLeader, () => [{ partition: 0, high: '7' }]]);
    await expect(endOffsets()).resolves.toEqual(new Map([[0, 7n]]));
    expect(calls()).toBe(3);
  });

  it('fails at once on an error that is not retriable', async () => {
    const { endOffsets, calls } = tableWith([() => new Error('topic authorization failed')]);
    await expect(endOffsets()).rejects.toThrow('topic authorization failed');
    expect(calls()).toBe(1);
  });
});
