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

/** The topics every distributed deployment has, whatever its domains. */
export const PLATFORM_TOPICS: readonly TopicSpec[] = [{ name: TOPICS.deadLetters }];
