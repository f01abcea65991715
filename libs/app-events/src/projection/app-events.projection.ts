import { Type } from '@sinclair/typebox';
import type { AppEventBatchPayload, Envelope } from '@th/contracts';
import { compileSchema } from '@th/platform';
import { type Projection, type TableRow, rowVersion } from '@th/projection';

const text = Type.String({ maxLength: 8_192 });
const AppEventBatchPayloadSchema = Type.Object({
  events: Type.Array(
    Type.Object({
      eventId: Type.String({ minLength: 1, maxLength: 256 }),
      ts: Type.String({ minLength: 20, maxLength: 30 }),
      evt: Type.String({ minLength: 1, maxLength: 128 }),
      anonHash: Type.String({ pattern: '^[0-9a-f]{64}$' }),
      os: text,
      ext: text,
      vscode: text,
      meta: Type.String({ maxLength: 65_536 }),
      country: text,
      region: text,
      city: text,
    }),
    { minItems: 1 },
  ),
});

/** Each accepted jwc.v1 event becomes one `app_events` row. */
export const appEventsProjection: Projection<AppEventBatchPayload> = {
  kind: 'app-event-batch',
  validatePayload: compileSchema(AppEventBatchPayloadSchema),
  project(envelope: Envelope<AppEventBatchPayload>): TableRow[] {
    const version = rowVersion(envelope.receivedAt, envelope.id);
    return envelope.payload.events.map((event) => ({
      table: 'app_events',
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
