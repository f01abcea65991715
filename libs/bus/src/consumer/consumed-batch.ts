/** One message as a consumer took it off the log: its bytes, key and position. */
export interface ConsumedMessage {
  key: string | null;
  value: Buffer | null;
  offset: string;
  /**
   * The value already decoded, when the adapter holds it (the in-process bus publishes objects):
   * saves parsing the bytes back. Kafka leaves it unset.
   */
  decoded?: unknown;
}

/**
 * A batch of messages of one topic partition as a consumer hands it over, with the token that
 * makes its inserts idempotent: retrying the same batch with the same token stores nothing twice.
 */
export interface ConsumedBatch {
  topic: string;
  partition: number;
  deduplicationToken: string;
  messages: ConsumedMessage[];
}
