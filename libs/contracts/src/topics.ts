/** Kafka topics shared by families of inputs, plus the dead-letter topic. */
export const TOPICS = {
  events: 'telemetry.events.v1',
  reports: 'telemetry.reports.v1',
  traces: 'telemetry.traces.v1',
  deadLetters: 'telemetry.dlq.v1',
} as const;

/** A topic the platform creates at start-up, with the settings it needs beyond the defaults. */
export interface TopicSpec {
  readonly name: string;
  /** Default: KAFKA_TOPIC_PARTITIONS. */
  readonly partitions?: number;
  readonly configEntries?: readonly { name: string; value: string }[];
}

/**
 * A topic whose records are the source of truth (envelopes, dead letters): the log must never
 * expire, whatever the broker's default retention (7 days on most brokers).
 */
export function sourceTopic(name: string): TopicSpec {
  return {
    name,
    configEntries: [
      { name: 'retention.ms', value: '-1' },
      { name: 'retention.bytes', value: '-1' },
    ],
  };
}

/** The topics every distributed deployment has, whatever its domains. */
export const PLATFORM_TOPICS: readonly TopicSpec[] = [sourceTopic(TOPICS.deadLetters)];
