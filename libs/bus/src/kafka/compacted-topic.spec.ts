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
