import { type Static, Type } from '@sinclair/typebox';

const name = Type.String({
  minLength: 1,
  maxLength: 255,
  pattern: '\\S',
  errorMessage: 'must be a non-empty string of at most 255 characters',
});
const SECRET_TOKEN_RULE =
  'must be a non-empty string of at most 1024 characters, or null to remove the token';
const secretToken = Type.String({ minLength: 1, maxLength: 1024, errorMessage: SECRET_TOKEN_RULE });
const optionalText = Type.Optional(
  Type.String({ maxLength: 2048, errorMessage: 'must be a string of at most 2048 characters' }),
);
const rateLimitPerHour = Type.Optional(
  Type.Integer({ minimum: 0, maximum: 1_000_000_000, errorMessage: 'must be a non-negative integer' }),
);

/** `POST /plugins/developer_telemetry/connections`, the DevLake plugin's connection fields. */
export const CreateConnectionSchema = Type.Object({
  name,
  endpoint: optionalText,
  proxy: optionalText,
  rateLimitPerHour,
  secretToken: Type.Optional(secretToken),
});
export type CreateConnection = Static<typeof CreateConnectionSchema>;

/** `PATCH /plugins/developer_telemetry/connections/:id`; `secretToken: null` removes the token. */
export const UpdateConnectionSchema = Type.Object({
  name: Type.Optional(name),
  endpoint: optionalText,
  proxy: optionalText,
  rateLimitPerHour,
  secretToken: Type.Optional(Type.Union([secretToken, Type.Null()], { errorMessage: SECRET_TOKEN_RULE })),
});
export type UpdateConnection = Static<typeof UpdateConnectionSchema>;

/**
 * `POST .../connections/:id/api-key`: a new key for the connection; `apiKey` adopts a key the
 * collectors already hold (one DevLake minted) instead of a random one.
 */
export const RotateApiKeySchema = Type.Object({
  apiKey: Type.Optional(
    Type.String({
      minLength: 16,
      maxLength: 512,
      pattern: '^[\\x21-\\x7e]+$',
      errorMessage: 'must be 16 to 512 printable characters without spaces',
    }),
  ),
});

/** The compacted topic holding every connection's latest state (distributed mode). */
export const CONNECTIONS_TOPIC = 'telemetry.connections.v1';

/** One connection's state as recorded in the connections topic (validated when read back). */
export const ConnectionRecordSchema = Type.Object({
  id: Type.Integer({ minimum: 1 }),
  name: Type.String({ maxLength: 255 }),
  endpoint: Type.String({ maxLength: 2048 }),
  proxy: Type.String({ maxLength: 2048 }),
  rateLimitPerHour: Type.Integer({ minimum: 0 }),
  secretTokenHash: Type.String({ maxLength: 512 }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  deleted: Type.Boolean(),
});
export type ConnectionRecord = Static<typeof ConnectionRecordSchema>;
