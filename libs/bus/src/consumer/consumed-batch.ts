/** One message as a consumer took it off the log: its bytes, key and position. */
export interface ConsumedMessage {
  key: string | null;
  value: Buffer | null;
  offset: string;
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
