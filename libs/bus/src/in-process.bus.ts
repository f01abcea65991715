import { type BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import type { Envelope } from '@th/contracts';
import { DEAD_LETTER_SINK, type DeadLetterSink, ProjectorService } from '@th/projection';
import type { EventBus } from './event-bus';

interface PendingPublish {
  envelopes: readonly Envelope[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * The embedded mode's bus: hands envelopes straight to the projector. Publishes that arrive while
 * a batch is being stored are coalesced into the next batch (one insert per table for many
 * requests), and each publish resolves once the batch holding it is stored.
 */
@Injectable()
export class InProcessBus implements EventBus, BeforeApplicationShutdown {
  private pending: PendingPublish[] = [];
  private draining: Promise<void> | undefined;

  constructor(
    private readonly projector: ProjectorService,
    @Inject(DEAD_LETTER_SINK) private readonly deadLetters: DeadLetterSink,
  ) {}

  publish(envelopes: readonly Envelope[]): Promise<void> {
    if (envelopes.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.pending.push({ envelopes, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  /** On SIGTERM, everything already published is stored before the store closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.draining;
  }

  private async drain(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        const messages = batch.flatMap((p) =>
          p.envelopes.map((value) => ({ value, original: Buffer.from(JSON.stringify(value)) })),
        );
        const outcome = await this.projector.project(messages);
        await this.deadLetters.send(outcome.deadLetters);
        for (const p of batch) p.resolve();
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
    this.draining = undefined;
  }
}
