import { type Static, Type } from '@sinclair/typebox';

/** The envelope kind of one accepted `POST /t` request; it travels on the events topic. */
export const APP_EVENT_BATCH_KIND = 'app-event-batch';

const text = Type.String({ maxLength: 8_192 });

/** An accepted event as it travels on the bus: identity fixed, anon hashed, no client IP. */
export const AppEventSchema = Type.Object({
  eventId: Type.String({ minLength: 1, maxLength: 256 }),
  /** Event time, ISO-8601 UTC. */
  ts: Type.String({ minLength: 20, maxLength: 30 }),
  evt: Type.String({ minLength: 1, maxLength: 128 }),
  anonHash: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  os: text,
  ext: text,
  vscode: text,
  /** Metadata as JSON text. */
  meta: Type.String({ maxLength: 65_536 }),
  country: text,
  region: text,
  city: text,
});
export type AppEvent = Static<typeof AppEventSchema>;

/** What the gateway publishes for one accepted request: its valid events (validated on consume). */
export const AppEventBatchPayloadSchema = Type.Object({
  events: Type.Array(AppEventSchema, { minItems: 1 }),
});
export type AppEventBatchPayload = Static<typeof AppEventBatchPayloadSchema>;
