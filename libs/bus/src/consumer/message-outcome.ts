/**
 * What became of one consumed message: stored (`ok`); never storable, kept in the dead letters
 * with why (`dlq`); or not stored yet because a dependency failed for a while (`retry`).
 */
export type MessageOutcome = OkOutcome | DeadLetterOutcome | RetryOutcome;

export interface OkOutcome {
  readonly type: 'ok';
}

export interface DeadLetterOutcome {
  readonly type: 'dlq';
  readonly reason: string;
  /** The envelope's id and kind when the message could be read that far, else ''/'unknown'. */
  readonly envelopeId: string;
  readonly kind: string;
}

export interface RetryOutcome {
  readonly type: 'retry';
  readonly error: unknown;
}

/** The outcomes a batch ends with: every message stored or dead-lettered. */
export type FinalOutcome = OkOutcome | DeadLetterOutcome;

export const OK: OkOutcome = { type: 'ok' };

export function deadLetter(reason: string, envelopeId = '', kind = 'unknown'): DeadLetterOutcome {
  return { type: 'dlq', reason, envelopeId, kind };
}

export function retry(error: unknown): RetryOutcome {
  return { type: 'retry', error };
}
