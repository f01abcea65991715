/** Kafka topics, one per family of inputs, plus the dead-letter topic. */
export const TOPICS = {
  events: 'telemetry.events.v1',
  reports: 'telemetry.reports.v1',
  traces: 'telemetry.traces.v1',
  deadLetters: 'telemetry.dlq.v1',
  /** Compacted: the latest state of each DevLake connection (distributed mode). */
  connections: 'telemetry.connections.v1',
} as const;

export type Topic = (typeof TOPICS)[keyof typeof TOPICS];
