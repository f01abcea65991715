import { Injectable } from '@nestjs/common';
import { type BatchHandler, type ConsumedBatch, type MessageOutcome, deadLetter, retry } from '@th/bus';
import { isRetriable } from '@th/platform';
import { isTransientStoreError } from '@th/store';
import { type BusMessage, ProjectorService } from './projector.service';

/**
 * The projector as the consumer path sees it: decodes a consumed batch, projects and stores it,
 * and answers one outcome per message. A transient store failure makes the whole batch `retry`
 * (the consumer tries it again with the same token). Any other store failure is about some row:
 * the batch is split in halves, each stored on its own, until the messages the store refuses are
 * alone and dead-lettered with the store's reason, while every other message is stored.
 */
@Injectable()
export class BatchProjector implements BatchHandler {
  constructor(private readonly projector: ProjectorService) {}

  handle(batch: ConsumedBatch): Promise<MessageOutcome[]> {
    const messages = batch.messages.map((m) => ('decoded' in m ? { value: m.decoded } : decode(m.value)));
    return this.store(messages, batch.deduplicationToken);
  }

  private async store(messages: BusMessage[], token: string): Promise<MessageOutcome[]> {
    try {
      return await this.projector.project(messages, token);
    } catch (error) {
      if (isRetriable(error) || isTransientStoreError(error)) return messages.map(() => retry(error));
      if (messages.length === 1) {
        const why = error instanceof Error ? error.message : String(error);
        return [
          deadLetter(`the store refused the rows: ${why}`, envelopeIdOf(messages[0]), kindOf(messages[0])),
        ];
      }
      // Halves get tokens of their own, derived from the batch's, so a retry repeats the same inserts.
      const middle = Math.ceil(messages.length / 2);
      const first = await this.store(messages.slice(0, middle), `${token}/a`);
      const second = await this.store(messages.slice(middle), `${token}/b`);
      return [...first, ...second];
    }
  }
}

function decode(value: Buffer | null): BusMessage {
  try {
    return { value: JSON.parse((value ?? Buffer.alloc(0)).toString('utf8')) as unknown };
  } catch {
    return { value: undefined };
  }
}

function envelopeIdOf(message: BusMessage): string {
  const id = (message.value as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : '';
}

function kindOf(message: BusMessage): string {
  const kind = (message.value as { kind?: unknown } | undefined)?.kind;
  return typeof kind === 'string' ? kind : 'unknown';
}
