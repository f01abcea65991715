import type { ConsumedBatch } from './consumed-batch';
import type { MessageOutcome } from './message-outcome';

/**
 * Does the work of a consumed batch (the projector stores it) and says, per message, what became
 * of it: one outcome per message, in order. A message's own problem is its outcome, not a throw.
 */
export interface BatchHandler {
  handle(batch: ConsumedBatch): Promise<MessageOutcome[]>;
}

export const BATCH_HANDLER = Symbol('BATCH_HANDLER');
