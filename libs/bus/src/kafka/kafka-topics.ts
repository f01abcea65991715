import type { Kafka } from 'kafkajs';
import { TOPICS } from '@th/contracts';
import type { AppConfig } from '@th/platform';

/** Topics the platform owns, with the settings each needs beyond partitions and replication. */
export const TOPIC_SETTINGS: Record<
  string,
  { configEntries?: { name: string; value: string }[]; partitions?: number }
> = {
  [TOPICS.events]: {},
  [TOPICS.reports]: {},
  [TOPICS.traces]: {},
  [TOPICS.deadLetters]: {},
  // Connection state: the latest record per connection id is all that matters.
  [TOPICS.connections]: { partitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
};

/** Creates the missing topics; existing ones are left as they are. */
export async function ensureTopics(
  kafka: Kafka,
  config: Pick<AppConfig, 'KAFKA_TOPIC_PARTITIONS' | 'KAFKA_REPLICATION_FACTOR'>,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = Object.entries(TOPIC_SETTINGS).filter(([topic]) => !existing.has(topic));
    if (missing.length === 0) return;
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map(([topic, settings]) => ({
        topic,
        numPartitions: settings.partitions ?? config.KAFKA_TOPIC_PARTITIONS,
        replicationFactor: config.KAFKA_REPLICATION_FACTOR,
        configEntries: settings.configEntries,
      })),
    });
  } finally {
    await admin.disconnect();
  }
}
