import type { ConnectionRecord } from '../contract/connection.schema';

/** A DevLake developer_telemetry connection as stored (the token only as a hash). */
export type StoredConnection = Omit<ConnectionRecord, 'deleted'>;

/** What clients see: never the token, only whether one is set. */
export interface ConnectionView {
  id: number;
  name: string;
  endpoint: string;
  proxy: string;
  rateLimitPerHour: number;
  hasSecretToken: boolean;
  createdAt: string;
  updatedAt: string;
}

export function toConnectionView(connection: StoredConnection): ConnectionView {
  const { secretTokenHash, ...rest } = connection;
  return { ...rest, hasSecretToken: secretTokenHash !== '' };
}

/** DevLake's default when a connection does not set one. */
export const DEFAULT_RATE_LIMIT_PER_HOUR = 1000;
