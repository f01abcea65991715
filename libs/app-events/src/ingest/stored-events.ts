import type { AppEvent } from '../contract/app-event-batch.schema';

/** What makes two events with one id the same event: everything the client sent (not where from). */
export function eventFingerprint(event: AppEvent): string {
  return JSON.stringify([
    // ISO-8601 UTC from toISOString(), on both sides: the same instant is the same text.
    event.ts,
    event.evt,
    event.anonHash,
    event.os,
    event.ext,
    event.vscode,
    event.meta,
  ]);
}

/**
 * The events already stored, looked up by id (whatever their day), with their fingerprints. Where the
 * gateway has no store (distributed mode) it knows none: the store's first-wins row version
 * still keeps the first payload there (per id and day).
 */
export interface StoredEvents {
  fingerprints(events: readonly AppEvent[]): Promise<Map<string, string>>;
}

export const STORED_EVENTS = Symbol('STORED_EVENTS');

/** A gateway without a store. */
export class NoStoredEvents implements StoredEvents {
  fingerprints(): Promise<Map<string, string>> {
    return Promise.resolve(new Map<string, string>());
  }
}
