import type { ApiKeyRecord, IssuedApiKey } from '@th/access';

/** What DevLake calls the type of a key minted for a plugin's connection. */
const KEY_TYPE = 'plugin:developer_telemetry';

/** A connection's key belongs to the connection: revoked with it, rotated through it. */
export function connectionKeyOwner(connectionId: number): string {
  return `devlake-connection:${connectionId}`;
}

/** What a connection's key may do: post reports and test the connection, for that connection only. */
export const CONNECTION_KEY_SCOPES = ['devlake:connection'] as const;

/**
 * The `apiKey` object DevLake returns once, when it creates a connection: the key in plain text and
 * the paths it may reach. Never returned again; only a rotation issues a new one.
 */
export interface ConnectionApiKeyView {
  id: string;
  name: string;
  apiKey: string;
  allowedPath: string;
  type: string;
  expiredAt: null;
  createdAt: string;
  updatedAt: string;
}

export function toApiKeyView({ record, key }: IssuedApiKey): ConnectionApiKeyView {
  return {
    id: record.id,
    name: record.name,
    apiKey: key,
    allowedPath: record.allowedPath,
    type: KEY_TYPE,
    expiredAt: null,
    createdAt: record.createdAt,
    updatedAt: record.createdAt,
  };
}

/** A key as listed: never the key itself. */
export interface ConnectionKeyInfo {
  id: string;
  name: string;
  allowedPath: string;
  createdAt: string;
  revokedAt: string | null;
}

export function toKeyInfo(record: ApiKeyRecord): ConnectionKeyInfo {
  const { id, name, allowedPath, createdAt, revokedAt } = record;
  return { id, name, allowedPath, createdAt, revokedAt };
}
