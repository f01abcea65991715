import { randomUUID } from 'node:crypto';
import { type BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import type { Envelope } from '@th/contracts';
import {
  APP_CONFIG,
  type AppConfig,
  DomainError,
  ServiceUnavailableError,
  nextSlice,
  sliceSpent,
} from '@th/platform';
import { BATCH_HANDLER, type BatchHandler } from './consumer/batch-handler';
import type { ConsumedBatch } from './consumer/consumed-batch';
import { consumeBatch } from './consumer/consume-batch';
import { DEAD_LETTER_SINK, type DeadLetterSink } from './consumer/dead-letter';
import type { FinalOutcome } from './consumer/message-outcome';
import { ENVELOPE_ROUTES, type EnvelopeRoutes } from './envelope-routes';
import type { EventBus } from './event-bus';

interface PendingPublish {
  envelopes: readonly Envelope[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** The request's data was accepted at the edge but can never be stored; it is in the dead letters. */
export class NotStoredError extends DomainError {
  readonly code = 'not_stored';
  readonly status = 422;
  // The reason (often the store's own error text) stays in the dead letter for operators.
  constructor() {
    super('the request could not be stored and was kept in the dead letters for an operator to inspect');
  }
}

/**
 * The embedded mode's bus: the log is skipped, and publishing hands the envelopes to the same batch
 * handler and dead-letter sink as the Kafka consumer, through the same consumer path. Publishes
 * that arrive while a batch is being stored are coalesced into the next batch (one insert per table
 * for many requests). Each publish resolves once all its envelopes are stored; it rejects with 422
 * when one was dead-lettered, and with 503 when the store kept failing for EMBEDDED_RETRY_WINDOW_MS.
 */
@Injectable()
export class InProcessBus implements EventBus, BeforeApplicationShutdown {
  private pending: PendingPublish[] = [];
  private draining: Promise<void> | undefined;
  private stopping = false;

  constructor(
    @Inject(BATCH_HANDLER) private readonly handler: BatchHandler,
    @Inject(DEAD_LETTER_SINK) private readonly deadLetters: DeadLetterSink,
    @Inject(ENVELOPE_ROUTES) private readonly routes: EnvelopeRoutes,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  publish(envelopes: readonly Envelope[]): Promise<void> {
    if (envelopes.length === 0) return Promise.resolve();
    for (const envelope of envelopes) this.routes.topicOf(envelope.kind);
    return new Promise((resolve, reject) => {
      this.pending.push({ envelopes, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  /** On SIGTERM, everything already published is stored (or answered) before the store closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.draining;
    this.stopping = true;
  }

  private async drain(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.pending.length > 0) {
      const publishes = this.pending;
      this.pending = [];
      await this.store(publishes);
    }
    this.draining = undefined;
  }

  private async store(all: PendingPublish[]): Promise<void> {
    const { batch, publishes } = await toBatch(all);
    if (publishes.length === 0) return;
    const result = await consumeBatch(batch, this.handler, this.deadLetters, {
      isRunning: () => !this.stopping,
      retryMaxMs: 1_000,
      giveUpAfterMs: this.config.EMBEDDED_RETRY_WINDOW_MS,
    });
    if (result.status === 'abandoned') {
      const unavailable = new ServiceUnavailableError('the store is unavailable; retry later');
      for (const p of publishes) p.reject(unavailable);
      return;
    }
    let next = 0;
    for (const p of publishes) {
      const outcomes = result.outcomes.slice(next, next + p.envelopes.length);
      next += p.envelopes.length;
      const failed = outcomes.find((o): o is Extract<FinalOutcome, { type: 'dlq' }> => o.type === 'dlq');
      if (failed) p.reject(new NotStoredError());
      else p.resolve();
    }
  }
}

/**
 * One batch of every envelope published meanwhile, serialised as Kafka would carry them; a publish
 * that cannot be serialised is refused on its own. The token is unique per batch: it makes the
 * batch's own retries idempotent and can never match an earlier batch (ClickHouse would drop a
 * different insert that reused a token).
 */
async function toBatch(
  all: PendingPublish[],
): Promise<{ batch: ConsumedBatch; publishes: PendingPublish[] }> {
  const publishes: PendingPublish[] = [];
  const messages: ConsumedBatch['messages'] = [];
  for (const publish of all) {
    while (sliceSpent()) await nextSlice();
    let values: Buffer[];
    try {
      values = publish.envelopes.map((envelope) => Buffer.from(JSON.stringify(envelope)));
    } catch (error) {
      publish.reject(error);
      continue;
    }
    publishes.push(publish);
    values.forEach((value, i) =>
      messages.push({
        key: publish.envelopes[i].key,
        value,
        offset: String(messages.length),
        decoded: publish.envelopes[i],
      }),
    );
  }
  const batch = {
    topic: 'in-process',
    partition: 0,
    deduplicationToken: `in-process/${randomUUID()}`,
    messages,
  };
  return { batch, publishes };
}
