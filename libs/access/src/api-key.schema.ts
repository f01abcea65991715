import { type Static, Type } from '@sinclair/typebox';

/** The compacted topic holding every API key's latest state (distributed mode). */
export const API_KEYS_TOPIC = 'telemetry.api-keys.v1';

/**
 * One API key as stored: never the key, only its hash. What a key may do is its `scopes` and, for
 * keys tied to one resource (a DevLake connection's key), the paths it may reach (`allowedPath`, a
 * DevLake-style path pattern; empty for none). `owner` names what the key belongs to, so the
 * owner's keys can be found and revoked together (`devlake-connection:7`).
 */
export const ApiKeyRecordSchema = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  name: Type.String({ maxLength: 255 }),
  keyHash: Type.String({ minLength: 1, maxLength: 128 }),
  scopes: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 32 }),
  allowedPath: Type.String({ maxLength: 1024 }),
  owner: Type.String({ maxLength: 255 }),
  createdAt: Type.String({ format: 'date-time' }),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  /** When a request last used it (to the minute); absent on records written before it was kept. */
  lastUsedAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
});
export type ApiKeyRecord = Static<typeof ApiKeyRecordSchema>;
