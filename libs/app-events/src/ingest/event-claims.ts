import { Inject, Injectable } from '@nestjs/common';
import { APP_EVENTS_SETTINGS, type AppEventsConfig } from '../config';
import type { AppEvent } from '../contract/app-event-batch.schema';
import { STORED_EVENTS, type StoredEvents } from './stored-events';

/** An event of a request, with its fingerprint (`eventFingerprint`). */
export interface Claimable {
  event: AppEvent;
  fingerprint: string;
}

/** What one request may do with its events. */
export interface Claim {
  /** Events to publish: new ones, and ones another request is storing right now (stored once). */
  toStore: AppEvent[];
  /** Events seen for the first time: what the NDJSON log gets. */
  fresh: AppEvent[];
  /** Ids taken by a different event, stored or being stored: first write wins. */
  conflicts: Set<string>;
  /** Ends the claim once its events are durable (or failed). */
  release(): void;
}

/**
 * First write wins for event ids. An id is claimed while its request is being stored, so two
 * requests in flight cannot both win; then the store is asked for the ids already there, whatever
 * their day (client ids always, every id when LOG_DIR needs to skip resends). The same id with the same content is a
 * resend: acknowledged, stored once. The same id with other content is a conflict.
 */
@Injectable()
export class EventClaims {
  private readonly inFlight = new Map<string, { fingerprint: string; holders: number }>();

  constructor(
    @Inject(STORED_EVENTS) private readonly stored: StoredEvents,
    @Inject(APP_EVENTS_SETTINGS) private readonly config: AppEventsConfig,
  ) {}

  async claim(events: readonly Claimable[]): Promise<Claim> {
    const conflicts = new Set<string>();
    const held = new Set<string>();
    const candidates: { event: AppEvent; fingerprint: string }[] = [];
    /** Ids another request holds with other content: decided by what is stored (a resend of it wins). */
    const contested: { event: AppEvent; fingerprint: string }[] = [];
    const toStore: AppEvent[] = [];
    // Synchronously, before any await: a concurrent request sees these claims.
    for (const { event, fingerprint } of events) {
      const holder = this.inFlight.get(event.eventId);
      if (holder && holder.fingerprint !== fingerprint) {
        contested.push({ event, fingerprint });
        continue;
      }
      if (holder) holder.holders++;
      else this.inFlight.set(event.eventId, { fingerprint, holders: 1 });
      held.add(event.eventId);
      if (holder) toStore.push(event);
      else candidates.push({ event, fingerprint });
    }
    const release = () => {
      for (const id of held) this.releaseOne(id);
      held.clear();
    };
    let stored: Map<string, string>;
    try {
      const lookUp = [...candidates, ...contested].map((c) => c.event).filter((e) => this.mustLookUp(e));
      stored = await this.stored.fingerprints(lookUp);
    } catch (error) {
      release();
      throw error;
    }
    const fresh: AppEvent[] = [];
    for (const { event, fingerprint } of candidates) {
      const storedFingerprint = stored.get(event.eventId);
      if (storedFingerprint === undefined) {
        fresh.push(event);
        continue;
      }
      // Already stored: nothing of this request will store it, so its claim ends now.
      if (storedFingerprint !== fingerprint) conflicts.add(event.eventId);
      this.releaseOne(event.eventId);
      held.delete(event.eventId);
    }
    // Against an id in flight with other content, only a resend of the stored event is not a conflict.
    for (const { event, fingerprint } of contested)
      if (stored.get(event.eventId) !== fingerprint) conflicts.add(event.eventId);
    return { toStore: [...toStore, ...fresh], fresh, conflicts, release };
  }

  /** Content-hash ids cannot carry other content; client ids can. */
  private mustLookUp(event: AppEvent): boolean {
    return event.eventId.startsWith('c:') || Boolean(this.config.LOG_DIR);
  }

  private releaseOne(id: string): void {
    const holder = this.inFlight.get(id);
    if (holder && --holder.holders === 0) this.inFlight.delete(id);
  }
}
