import type { Envelope } from '@th/contracts';

/**
 * The append-only log as the gateway sees it. `publish` resolves only once the envelopes are
 * durable: stored by their projection (in-process) or acknowledged by every in-sync replica (Kafka).
 * It rejects when that cannot be promised; the caller must then not acknowledge its client.
 */
export interface EventBus {
  publish(envelopes: readonly Envelope[]): Promise<void>;
}

export const EVENT_BUS = Symbol('EVENT_BUS');
