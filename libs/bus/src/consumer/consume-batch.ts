import { Logger } from '@nestjs/common';
import { counter, describeError, gauge, isRetriable } from '@th/platform';
import type { BatchHandler } from './batch-handler';
import type { ConsumedBatch } from './consumed-batch';
import type { DeadLetter, DeadLetterSink } from './dead-letter';
import { type FinalOutcome, type MessageOutcome, deadLetter } from './message-outcome';

const logger = new Logger('consumer');

const retries = counter('projector_batch_retries_total', 'Batch attempts retried after a transient failure', [
  'topic',
] as const);
const retrying = gauge('projector_batch_retrying', 'Batches waiting to retry after a transient failure', [
  'topic',
] as const);
const deadLettered = counter('projector_dead_letters_total', 'Messages sent to the dead letters, by topic', [
  'topic',
] as const);

/** How a consumer keeps its batch alive and when it stops trying. */
export interface ConsumeControl {
  /** False once the consumer stops (or the batch went stale): give up, nothing committed. */
  isRunning(): boolean;
  /** Called while waiting between attempts (Kafka heartbeats). */
  heartbeat?(): Promise<void>;
  /** Longest pause between two attempts; pauses double from 100 ms up to it. */
  retryMaxMs: number;
  /** Stop retrying after this long (a waiting HTTP request); unset: retry while running. */
  giveUpAfterMs?: number;
}

export type ConsumeResult =
  { status: 'done'; outcomes: FinalOutcome[] } | { status: 'abandoned'; error?: unknown };

/**
 * The one consumer path, for the in-process bus and the Kafka consumer alike: hand the batch to
 * the handler; when every message is stored or dead-lettered, send the dead letters and finish.
 * When any message must be retried (a dependency failed for a while), the whole batch is tried
 * again with the same deduplication token, so what was stored is not stored twice, with a log line,
 * a metric and a pause that doubles up to `retryMaxMs`. A message's own error never causes a retry.
 */
export async function consumeBatch(
  batch: ConsumedBatch,
  handler: BatchHandler,
  sink: DeadLetterSink,
  control: ConsumeControl,
): Promise<ConsumeResult> {
  const topic = batch.topic;
  const started = Date.now();
  let waiting = false;
  try {
    for (let attempt = 0; ; attempt++) {
      let failure: unknown;
      try {
        const outcomes = checked(batch, await handlerOutcomes(batch, handler));
        const pending = outcomes.find((o) => o.type === 'retry');
        if (!pending) {
          const final = outcomes as FinalOutcome[];
          const letters = deadLettersOf(batch, final);
          await sink.send(letters);
          if (letters.length > 0) deadLettered.inc({ topic }, letters.length);
          return { status: 'done', outcomes: final };
        }
        failure = pending.error;
      } catch (error) {
        failure = error; // the dead-letter sink is unreachable: retried like the store
      }
      const delay = Math.min(control.retryMaxMs, 100 * 2 ** Math.min(attempt, 16));
      if (control.giveUpAfterMs !== undefined && Date.now() + delay - started > control.giveUpAfterMs) {
        return { status: 'abandoned', error: failure };
      }
      if (!waiting) retrying.inc({ topic });
      waiting = true;
      retries.inc({ topic });
      logger.warn({
        msg: 'batch not stored; retrying',
        topic,
        partition: batch.partition,
        offsets: offsetRange(batch),
        attempt: attempt + 1,
        retryInMs: delay,
        err: describeError(failure),
      });
      await pause(delay, control);
      if (!control.isRunning()) return { status: 'abandoned', error: failure };
    }
  } finally {
    if (waiting) retrying.dec({ topic });
  }
}

/** A handler that throws broke its contract; what it threw is every message's outcome. */
async function handlerOutcomes(batch: ConsumedBatch, handler: BatchHandler): Promise<MessageOutcome[]> {
  try {
    return await handler.handle(batch);
  } catch (error) {
    if (isRetriable(error)) return batch.messages.map(() => ({ type: 'retry', error }));
    logger.error({ msg: 'batch handler failed', topic: batch.topic, err: describeError(error) });
    return batch.messages.map(() => deadLetter(`the handler failed: ${describeError(error)}`));
  }
}

function checked(batch: ConsumedBatch, outcomes: MessageOutcome[]): MessageOutcome[] {
  if (outcomes.length !== batch.messages.length) {
    throw new Error(`the handler gave ${outcomes.length} outcomes for ${batch.messages.length} messages`);
  }
  return outcomes;
}

function deadLettersOf(batch: ConsumedBatch, outcomes: FinalOutcome[]): DeadLetter[] {
  const letters: DeadLetter[] = [];
  outcomes.forEach((outcome, i) => {
    if (outcome.type !== 'dlq') return;
    const message = batch.messages[i];
    letters.push({
      envelopeId: outcome.envelopeId,
      kind: outcome.kind,
      reason: outcome.reason,
      original: message.value ?? Buffer.alloc(0),
      origin: {
        topic: batch.topic,
        partition: batch.partition,
        offset: message.offset,
        key: message.key ?? undefined,
      },
    });
  });
  return letters;
}

async function pause(ms: number, control: ConsumeControl): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until && control.isRunning()) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, until - Date.now())));
    await control.heartbeat?.().catch(() => undefined);
  }
}

function offsetRange(batch: ConsumedBatch): string {
  const first = batch.messages[0]?.offset ?? '';
  const last = batch.messages[batch.messages.length - 1]?.offset ?? '';
  return first === last ? first : `${first}-${last}`;
}
