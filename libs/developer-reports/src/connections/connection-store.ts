import type { StoredConnection } from './connection';

/**
 * Where connections live: ClickHouse in embedded mode, a compacted Kafka topic in distributed mode
 * (so a gateway needs no database). The service above it is the same in both.
 */
export interface ConnectionStore {
  list(): Promise<StoredConnection[]>;
  /** The live connection with this id, or undefined when it never existed or was deleted. */
  get(id: number): Promise<StoredConnection | undefined>;
  /** The highest id ever used, deleted ones included, so ids are never reused. */
  highestId(): Promise<number>;
  save(connection: StoredConnection): Promise<void>;
  markDeleted(connection: StoredConnection): Promise<void>;
}

export const CONNECTION_STORE = Symbol('CONNECTION_STORE');
