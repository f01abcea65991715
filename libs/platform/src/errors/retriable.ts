/**
 * Errors say whether trying the same work again later can succeed: the store or the broker being
 * unreachable or timing out is retriable; bad data, a bug or a broken rule is not. Anything that
 * does not say so is treated as not retriable, so a consumer never loops on it.
 */
export interface MaybeRetriable {
  readonly retriable?: boolean;
}

/** `Name: message` of an error, for logs and dead-letter reasons (never its stack). */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export function isRetriable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as MaybeRetriable).retriable === true;
}

/** A transient failure of a dependency; the same work may succeed later. */
export class TransientError extends Error implements MaybeRetriable {
  readonly retriable = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientError';
  }
}
