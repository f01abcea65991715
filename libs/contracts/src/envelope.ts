import { type Static, Type } from '@sinclair/typebox';
import { TOPICS, type Topic } from './topics';

/** Every kind of envelope the platform carries, with the topic it travels on. */
export const ENVELOPE_KINDS = {
  'developer-report': TOPICS.reports,
  'app-event-batch': TOPICS.events,
} as const satisfies Record<string, Topic>;

export type EnvelopeKind = keyof typeof ENVELOPE_KINDS;

/**
 * The one message shape on every topic. `id` is deterministic where the input defines identity,
 * so resends and redeliveries collapse to one row; `key` is the partition key.
 */
export const EnvelopeSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 512 }),
    kind: Type.Union(Object.keys(ENVELOPE_KINDS).map((kind) => Type.Literal(kind))),
    source: Type.String({ minLength: 1, maxLength: 255 }),
    key: Type.String({ minLength: 1, maxLength: 512 }),
    receivedAt: Type.String({ format: 'date-time' }),
    schemaVersion: Type.Integer({ minimum: 1 }),
    payload: Type.Unknown(),
  },
  { additionalProperties: false },
);

export type Envelope<P = unknown> = Omit<Static<typeof EnvelopeSchema>, 'payload' | 'kind'> & {
  kind: EnvelopeKind;
  payload: P;
};

export function topicOf(kind: EnvelopeKind): Topic {
  return ENVELOPE_KINDS[kind];
}
