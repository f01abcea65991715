import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EVENT_BUS, type EventBus } from '@th/bus';
import type { Envelope } from '@th/contracts';
import {
  AnonHasher,
  DomainError,
  type FieldError,
  compileSchema,
  counter,
  forEachSliced,
} from '@th/platform';
import { APP_EVENTS_SETTINGS, type AppEventsConfig } from '../config';
import {
  APP_EVENT_BATCH_KIND,
  type AppEvent,
  type AppEventBatchPayload,
} from '../contract/app-event-batch.schema';
import { JWC_LIMITS, JwcEventSchema } from '../contract/jwc-event.schema';
import { type EventContent, canonicalJson, eventId } from './event-identity';
import { parseEventTime } from './event-time';
import { GeoLocator } from './geo-locator';
import { eventsOfRequest } from './jwc-request';
import { EventClaims } from './event-claims';
import { EventLogWriter } from './event-log.writer';
import { eventFingerprint } from './stored-events';

const validateEvent = compileSchema(JwcEventSchema);

const acceptedEvents = counter('app_events_accepted_total', 'jwc.v1 events acknowledged');
const rejectedEvents = counter('app_events_rejected_total', 'jwc.v1 events refused for being invalid');
const conflictingEvents = counter(
  'app_events_id_conflicts_total',
  'jwc.v1 events refused because their id is taken by a different event (first write wins)',
);

export const ANON_HASHER = Symbol('ANON_HASHER');

export interface RejectedEvent {
  index: number;
  /** 400: the event is invalid; 409: its id is taken by a different event (first write wins). */
  status: 400 | 409;
  errors: FieldError[];
}

export interface IngestResult {
  ok: true;
  accepted: number;
  skipped: number;
  rejected: RejectedEvent[];
}

/** No event of the request can be stored: 409 when every one is a conflict, else 400; lists them all. */
export class NoValidEventError extends DomainError {
  readonly code: string;
  readonly status: number;
  constructor(rejected: RejectedEvent[]) {
    super(`none of the ${rejected.length} events can be stored`);
    const conflicts = rejected.every((r) => r.status === 409);
    this.code = conflicts ? 'event_id_conflict' : 'no_valid_events';
    this.status = conflicts ? 409 : 400;
    Object.assign(this.details, { ok: false, accepted: 0, skipped: rejected.length, rejected });
  }
}

export interface RequestContext {
  clientIp: string;
  idempotencyKey?: string;
}

const ID_TAKEN: FieldError = {
  field: 'id',
  message: 'is already used by a different event; the first one stored is kept',
};

/**
 * `POST /t`: validates each event on its own (one bad event never costs the good ones), fixes its
 * identity, hashes `anon`, locates the client IP (which is then forgotten), refuses an id already
 * taken by other content (first write wins), and publishes the rest as one envelope; resolves
 * once they are durable.
 */
@Injectable()
export class AppEventIngestService {
  constructor(
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(ANON_HASHER) private readonly hasher: AnonHasher,
    @Inject(APP_EVENTS_SETTINGS) private readonly config: AppEventsConfig,
    private readonly geo: GeoLocator,
    private readonly eventLog: EventLogWriter,
    private readonly claims: EventClaims,
  ) {}

  async ingest(body: unknown, context: RequestContext): Promise<IngestResult> {
    const { events, single } = eventsOfRequest(body, this.config.JWC_MAX_BATCH);
    const location = this.geo.locate(context.clientIp);
    const now = Date.now();
    const unique = new Map<string, { event: AppEvent; fingerprint: string; indexes: number[] }>();
    const rejected: RejectedEvent[] = [];
    // Sliced: a full batch is tens of milliseconds of work, and other requests wait meanwhile.
    await forEachSliced(events, (raw, index) => {
      const result = this.normalize(raw, now, single ? context.idempotencyKey : undefined);
      if ('errors' in result) {
        rejected.push({ index, status: 400, errors: result.errors });
        return;
      }
      const event = { ...result.event, ...location };
      const fingerprint = eventFingerprint(event);
      const seen = unique.get(event.eventId);
      // The same event twice in one request is stored once; other content under its id is refused.
      if (!seen) unique.set(event.eventId, { event, fingerprint, indexes: [index] });
      else if (seen.fingerprint === fingerprint) seen.indexes.push(index);
      else rejected.push({ index, status: 409, errors: [ID_TAKEN] });
    });

    const claim = await this.claims.claim([...unique.values()]);
    try {
      for (const id of claim.conflicts)
        for (const index of unique.get(id)?.indexes ?? [])
          rejected.push({ index, status: 409, errors: [ID_TAKEN] });
      rejected.sort((a, b) => a.index - b.index);
      const conflicts = rejected.filter((r) => r.status === 409).length;
      rejectedEvents.inc(rejected.length - conflicts);
      conflictingEvents.inc(conflicts);
      const accepted = events.length - rejected.length;
      if (accepted === 0) throw new NoValidEventError(rejected);
      if (claim.toStore.length > 0) await this.bus.publish([this.envelope(claim.toStore, now)]);
      acceptedEvents.inc(accepted);
      await this.eventLog.append(claim.fresh);
      return { ok: true, accepted, skipped: rejected.length, rejected };
    } finally {
      claim.release();
    }
  }

  private normalize(
    raw: unknown,
    now: number,
    idempotencyKey: string | undefined,
  ): { event: Omit<AppEvent, 'country' | 'region' | 'city'> } | { errors: FieldError[] } {
    const checked = validateEvent(raw);
    if (!checked.ok) return { errors: checked.errors };
    const event = checked.value;
    const time = parseEventTime(event.t, now, this.config.JWC_MAX_EVENT_AGE_DAYS);
    const errors: FieldError[] = time.ok ? [] : [{ field: 't', message: time.message }];
    // The body is at most 32 levels deep (platform), so this walk is bounded before it starts.
    const meta = event.m === undefined ? '{}' : canonicalJson(event.m, JWC_LIMITS.metadataDepth);
    if (meta === undefined) {
      return { errors: [{ field: 'm', message: `must nest at most ${JWC_LIMITS.metadataDepth} levels` }] };
    }
    if (Buffer.byteLength(meta) > JWC_LIMITS.metadataBytes) {
      errors.push({ field: 'm', message: `must be at most ${JWC_LIMITS.metadataBytes} bytes as JSON` });
    }
    if (!time.ok || errors.length > 0) return { errors };
    const content: EventContent = {
      anon: event.anon,
      evt: event.evt.trim(),
      millis: time.millis,
      os: event.os ?? 'unknown',
      ext: event.ext ?? '0.0.0',
      vscode: event.vscode ?? '0.0.0',
      meta,
    };
    return {
      event: {
        eventId: eventId(content, event.id ?? idempotencyKey),
        ts: new Date(content.millis).toISOString(),
        evt: content.evt,
        anonHash: this.hasher.hash(content.anon, content.millis),
        os: content.os,
        ext: content.ext,
        vscode: content.vscode,
        meta: content.meta,
      },
    };
  }

  private envelope(events: AppEvent[], now: number): Envelope<AppEventBatchPayload> {
    const digest = createHash('sha256');
    for (const event of events) digest.update(event.eventId).update('\n');
    const id = `jwc/${digest.digest('hex')}`;
    return {
      id,
      kind: APP_EVENT_BATCH_KIND,
      source: 'jwc.v1',
      // Events carry no ordering between them: spread requests over partitions.
      key: id,
      receivedAt: new Date(now).toISOString(),
      schemaVersion: 1,
      payload: { events },
    };
  }
}
