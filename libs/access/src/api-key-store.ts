import type { ApiKeyRecord } from './api-key.schema';

/**
 * Where API keys live: ClickHouse in embedded mode, a compacted Kafka topic in distributed mode (so
 * a gateway needs no database). The service above it is the same in both.
 */
export interface ApiKeyStore {
  /**
   * Lookups answer from this process's memory, a mirror that follows the store (the Kafka topic):
   * no cache belongs in front of it, and a key issued or revoked on another replica counts here
   * as soon as the mirror has it.
   */
  readonly mirroredInMemory: boolean;
  /** The key with this hash, revoked or not; undefined when none has it. */
  findByHash(keyHash: string): Promise<ApiKeyRecord | undefined>;
  /** Every key of an owner (revoked ones included), oldest first. */
  listByOwner(owner: string): Promise<ApiKeyRecord[]>;
  /** Every key (revoked ones included), oldest first. */
  list(): Promise<ApiKeyRecord[]>;
  save(record: ApiKeyRecord): Promise<void>;
  /** Notes that a request used the key; never changes anything else of it (a revoke stays). */
  recordUse(record: ApiKeyRecord, at: string): Promise<void>;
}

export const API_KEY_STORE = Symbol('API_KEY_STORE');
