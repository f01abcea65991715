import { type ConsumedBatch, type DeadLetter, consumeBatch } from '@th/bus';
import { BatchProjector, ProjectionRegistry, ProjectorService } from '@th/projection';
import { FakeRowWriter } from '@th/projection/testing';
import type { AppEvent } from '../contract/app-event-batch.schema';
import { appEventsProjection } from './app-events.projection';

const event = (eventId: string, meta: string): AppEvent => ({
  eventId,
  ts: '2026-02-11T10:00:00.000Z',
  evt: 'api.called',
  anonHash: 'a'.repeat(64),
  os: 'Darwin',
  ext: '1.0.0',
  vscode: '1.90.0',
  meta,
  country: '',
  region: '',
  city: '',
});

const message = (offset: string, events: AppEvent[]) => ({
  key: offset,
  offset,
  value: Buffer.from(
    JSON.stringify({
      id: `jwc/${offset}`,
      kind: 'app-event-batch',
      source: 'jwc.v1',
      key: offset,
      receivedAt: '2026-02-11T10:00:01.000Z',
      schemaVersion: 1,
      payload: { events },
    }),
  ),
});

describe('appEventsProjection', () => {
  it('maps duration_ms from the metadata for the performance figures', () => {
    const [{ row }] = appEventsProjection.project({
      id: 'jwc/1',
      kind: 'app-event-batch',
      source: 'jwc.v1',
      key: 'k',
      receivedAt: '2026-02-11T10:00:01.000Z',
      schemaVersion: 1,
      payload: { events: [event('e1', '{"duration_ms":150}')] },
    });
    expect(row).toMatchObject({
      event_id: 'e1',
      duration_ms: 150,
      user_key: BigInt('0xaaaaaaaaaaaaaaaa').toString(),
    });
  });

  // The defect of issue 7: this message used to make the projector throw SyntaxError, and the
  // partition behind it was retried forever. It must go to the dead letters, and the rest be stored.
  it('dead-letters an event whose meta is not JSON but mentions duration_ms, and the partition moves on', async () => {
    const registry = new ProjectionRegistry();
    registry.register(appEventsProjection);
    const writer = new FakeRowWriter();
    const letters: DeadLetter[] = [];
    const batch: ConsumedBatch = {
      topic: 'telemetry.events.v1',
      partition: 0,
      deduplicationToken: 'telemetry.events.v1/0/5-7',
      messages: [
        message('5', [event('before', '{}')]),
        message('6', [event('poison', '{duration_ms: oops')]),
        message('7', [event('after', '{"duration_ms":3}')]),
      ],
    };
    const result = await consumeBatch(
      batch,
      new BatchProjector(new ProjectorService(registry, writer.asRowWriter())),
      { send: async (sent) => void letters.push(...sent) },
      { isRunning: () => true, retryMaxMs: 100, giveUpAfterMs: 1_000 },
    );
    expect(result.status).toBe('done');
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      envelopeId: 'jwc/6',
      kind: 'app-event-batch',
      origin: { offset: '6' },
    });
    expect(letters[0].reason).toMatch(/^the app-event-batch projection failed: SyntaxError/);
    expect(writer.rows('app_events').map((r) => r.event_id)).toEqual(['before', 'after']);
  });
});
