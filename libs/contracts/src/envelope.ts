import { type Static, Type } from '@sinclair/typebox';

/** An envelope kind names one input's message type (`developer-report`, `app-event-batch`). */
export const ENVELOPE_KIND_PATTERN = '^[a-z][a-z0-9-]{0,63}$';

/**
 * The one message shape on every topic. `id` is deterministic where the input defines identity,
 * so resends and redeliveries collapse to one row; `key` is the partition key. Which kinds exist
 * is not fixed here: each domain declares its own, and a consumer dead-letters a kind it has no
 * projection for.
 */
export const EnvelopeSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 512 }),
    kind: Type.String({ pattern: ENVELOPE_KIND_PATTERN }),
    source: Type.String({ minLength: 1, maxLength: 255 }),
    key: Type.String({ minLength: 1, maxLength: 512 }),
    receivedAt: Type.String({ format: 'date-time' }),
    schemaVersion: Type.Integer({ minimum: 1 }),
    payload: Type.Unknown(),
  },
  { additionalProperties: false },
);

export type Envelope<P = unknown> = Omit<Static<typeof EnvelopeSchema>, 'payload'> & { payload: P };
