import type { Kafka } from 'kafkajs';
import type { TopicSpec } from '@th/contracts';
import type { AppConfig } from '@th/platform';

/** Creates the missing topics; existing ones are left as they are. */
export async function ensureTopics(
  kafka: Kafka,
  config: Pick<AppConfig, 'KAFKA_TOPIC_PARTITIONS' | 'KAFKA_REPLICATION_FACTOR'>,
  topics: readonly TopicSpec[],
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = uniqueByName(topics).filter((spec) => !existing.has(spec.name));
    if (missing.length === 0) return;
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((spec) => ({
        topic: spec.name,
        numPartitions: spec.partitions ?? config.KAFKA_TOPIC_PARTITIONS,
        replicationFactor: config.KAFKA_REPLICATION_FACTOR,
        configEntries: spec.configEntries ? [...spec.configEntries] : undefined,
      })),
    });
  } finally {
    await admin.disconnect();
  }
}

/** Several domains share a topic (reports, traces): it is created once. */
function uniqueByName(topics: readonly TopicSpec[]): TopicSpec[] {
  const byName = new Map<string, TopicSpec>();
  for (const spec of topics) if (!byName.has(spec.name) || spec.configEntries) byName.set(spec.name, spec);
  return [...byName.values()];
}
