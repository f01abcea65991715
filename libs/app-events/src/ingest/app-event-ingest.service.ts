import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EVENT_BUS, type EventBus } from '@th/bus';
import type { Envelope } from '@th/contracts';
import { DomainError, type FieldError, compileSchema, counter } from '@th/platform';
import { APP_EVENTS_SETTINGS, type AppEventsConfig } from '../config';
import {
  APP_EVENT_BATCH_KIND,
  type AppEvent,
  type AppEventBatchPayload,
} from '../contract/app-event-batch.schema';
import { JWC_LIMITS, JwcEventSchema } from '../contract/jwc-event.schema';
import { AnonHasher } from './anon-hasher';
import { type EventContent, canonicalJson, eventId } from './event-identity';
import { parseEventTime } from './event-time';
import { GeoLocator } from './geo-locator';
import { eventsOfRequest } from './jwc-request';
import { EventLogWriter } from './event-log.writer';

const validateEvent = compileSchema(JwcEventSchema);

const acceptedEvents = counter('app_events_accepted_total', 'jwc.v1 events acknowledged');
const rejectedEvents = counter('app_events_rejected_total', 'jwc.v1 events refused for being invalid');

export const ANON_HASHER = Symbol('ANON_HASHER');

export interface RejectedEvent {
  index: number;
  errors: FieldError[];
}

export interface IngestResult {
  ok: true;
  accepted: number;
  skipped: number;
  rejected: RejectedEvent[];
}

/** No event of the request was valid: a 400 that still lists every event's problems. */
export class NoValidEventError extends DomainError {
  readonly code = 'no_valid_events';
  readonly status = 400;
  constructor(rejected: RejectedEvent[]) {
    super(`none of the ${rejected.length} events is valid`);
    Object.assign(this.details, { ok: false, accepted: 0, skipped: rejected.length, rejected });
  }
}

export interface RequestContext {
  clientIp: string;
  idempotencyKey?: string;
}

/**
 * `POST /t`: validates each event on its own (one bad event never costs the good ones), fixes its
 * identity, hashes `anon`, locates the client IP (which is then forgotten), and publishes the valid
 * events as one envelope; resolves once they are durable.
 */
@Injectable()
export class AppEventIngestService {
  constructor(
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(ANON_HASHER) private readonly hasher: AnonHasher,
    @Inject(APP_EVENTS_SETTINGS) private readonly config: AppEventsConfig,
    private readonly geo: GeoLocator,
    private readonly eventLog: EventLogWriter,
  ) {}

  async ingest(body: unknown, context: RequestContext): Promise<IngestResult> {
    const { events, single } = eventsOfRequest(body, this.config.JWC_MAX_BATCH);
    const location = this.geo.locate(context.clientIp);
    const now = Date.now();
    const accepted = new Map<string, AppEvent>();
    const rejected: RejectedEvent[] = [];
    let valid = 0;
    events.forEach((raw, index) => {
      const result = this.normalize(raw, now, single ? context.idempotencyKey : undefined);
      if ('errors' in result) {
        rejected.push({ index, errors: result.errors });
        return;
      }
      valid++;
      // The same event twice in one request is stored once.
      if (!accepted.has(result.event.eventId))
        accepted.set(result.event.eventId, { ...result.event, ...location });
    });
    rejectedEvents.inc(rejected.length);
    if (valid === 0) throw new NoValidEventError(rejected);

    const stored = [...accepted.values()];
    await this.bus.publish([this.envelope(stored, now)]);
    acceptedEvents.inc(valid);
    await this.eventLog.append(stored);
    return { ok: true, accepted: valid, skipped: rejected.length, rejected };
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
