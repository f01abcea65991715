import type { Envelope } from '@th/contracts';
import { compileSchema } from '@th/platform';
import { type Projection, type TableRow, firstWinsVersion } from '@th/projection';
import {
  APP_EVENT_BATCH_KIND,
  type AppEventBatchPayload,
  AppEventBatchPayloadSchema,
} from '../contract/app-event-batch.schema';

/**
 * Each accepted jwc.v1 event becomes one `app_events` row. First write wins: the row received
 * first has the highest version, so a later payload under the same id and day (from a gateway
 * that could not check the store) never replaces it.
 */
export const appEventsProjection: Projection<AppEventBatchPayload> = {
  kind: APP_EVENT_BATCH_KIND,
  validatePayload: compileSchema(AppEventBatchPayloadSchema),
  project(envelope: Envelope<AppEventBatchPayload>): TableRow[] {
    const version = firstWinsVersion(envelope.receivedAt, envelope.id);
    return envelope.payload.events.map((event) => ({
      table: 'app_events',
      // PARTITION BY toYYYYMM(ts); ts is ISO-8601 UTC.
      partition: event.ts.slice(0, 7),
      row: {
        event_id: event.eventId,
        ts: event.ts,
        evt: event.evt,
        anon_hash: event.anonHash,
        user_key: BigInt(`0x${event.anonHash.slice(0, 16)}`).toString(),
        os: event.os,
        ext: event.ext,
        vscode: event.vscode,
        meta: event.meta,
        duration_ms: durationOf(event.meta),
        country: event.country,
        region: event.region,
        city: event.city,
        received_at: envelope.receivedAt,
        version,
      },
    }));
  },
};

/** `m.duration_ms` when it is a finite non-negative number; the performance figures use it. */
function durationOf(meta: string): number | null {
  if (!meta.includes('duration_ms')) return null;
  const value = (JSON.parse(meta) as { duration_ms?: unknown }).duration_ms;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}
