import { Inject, Injectable } from '@nestjs/common';
import { counter } from '@th/platform';
import { DEAD_LETTER_SINK, type DeadLetter, type DeadLetterSink } from './dead-letter';
import { type BusMessage, ProjectorService } from './projector.service';
import { isDataRejectedByStore } from './store-errors';

const deadLettered = counter('projector_dead_letters_total', 'Messages sent to the dead letters, by topic', [
  'topic',
] as const);

/** A batch of messages as a consumer hands it over, with the token that makes its insert idempotent. */
export interface ConsumedBatch {
  topic: string;
  partition: number;
  deduplicationToken: string;
  messages: { key: string | null; value: Buffer | null; offset: string }[];
}

/**
 * Stores one consumed batch: decode, project, insert, dead-letter what can never be stored.
 * Resolves only when every message is either stored or in the dead letters; throws on a transient
 * failure so the consumer retries the same batch (and does not commit it). When the store rejects
 * the batch's data, the batch is retried one message at a time so only the bad message is set aside.
 */
@Injectable()
export class BatchProjector {
  constructor(
    private readonly projector: ProjectorService,
    @Inject(DEAD_LETTER_SINK) private readonly deadLetters: DeadLetterSink,
  ) {}

  async handle(batch: ConsumedBatch): Promise<void> {
    const messages = batch.messages.map((m) => decode(batch, m));
    let letters: DeadLetter[];
    try {
      letters = (await this.projector.project(messages, batch.deduplicationToken)).deadLetters;
    } catch (error) {
      if (!isDataRejectedByStore(error)) throw error;
      letters = await this.oneByOne(messages, batch.deduplicationToken);
    }
    await this.deadLetters.send(letters);
    if (letters.length > 0) deadLettered.inc({ topic: batch.topic }, letters.length);
  }

  private async oneByOne(messages: BusMessage[], token: string): Promise<DeadLetter[]> {
    const letters: DeadLetter[] = [];
    for (const message of messages) {
      try {
        const outcome = await this.projector.project([message], `${token}/${message.origin?.offset ?? ''}`);
        letters.push(...outcome.deadLetters);
      } catch (error) {
        if (!isDataRejectedByStore(error)) throw error;
        letters.push({
          envelopeId: envelopeIdOf(message.value),
          kind: 'unknown',
          reason: `the store rejected the row: ${error.message}`,
          original: message.original,
          origin: message.origin,
        });
      }
    }
    return letters;
  }
}

function decode(batch: ConsumedBatch, message: ConsumedBatch['messages'][number]): BusMessage {
  const original = message.value ?? Buffer.alloc(0);
  let value: unknown;
  try {
    value = JSON.parse(original.toString('utf8'));
  } catch {
    value = undefined;
  }
  return {
    value,
    original,
    origin: {
      topic: batch.topic,
      partition: batch.partition,
      offset: message.offset,
      key: message.key ?? undefined,
    },
  };
}

function envelopeIdOf(value: unknown): string {
  const id = (value as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : '';
}
