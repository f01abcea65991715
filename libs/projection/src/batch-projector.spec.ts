import { ClickHouseError } from '@clickhouse/client';
import type { ConsumedBatch } from '@th/bus';
import { Type } from '@sinclair/typebox';
import { TransientError, compileSchema } from '@th/platform';
import { BatchProjector } from './batch-projector';
import type { Projection } from './projection';
import { ProjectionRegistry } from './projection-registry';
import { ProjectorService } from './projector.service';
import { FakeRowWriter } from './testing';

/** Notes become rows of `notes`; a note "throw" makes the projection throw what `thrown` says. */
let thrown: () => Error = () => new SyntaxError('Unexpected token n in JSON');
const notes: Projection<{ text: string }> = {
  kind: 'note',
  validatePayload: compileSchema(Type.Object({ text: Type.String() })),
  project: (envelope) => {
    if (envelope.payload.text === 'throw') throw thrown();
    return [{ table: 'notes', row: { id: envelope.id, text: envelope.payload.text } }];
  },
};

const message = (id: string, payload: unknown, kind = 'note') => ({
  key: id,
  offset: id,
  value: Buffer.from(
    JSON.stringify({
      id,
      kind,
      source: 's',
      key: id,
      receivedAt: '2026-01-01T00:00:00Z',
      schemaVersion: 1,
      payload,
    }),
  ),
});

const batchOf = (...messages: ConsumedBatch['messages']): ConsumedBatch => ({
  topic: 't',
  partition: 0,
  deduplicationToken: 't/0/0-9',
  messages,
});

function projectorWith(writer: FakeRowWriter): BatchProjector {
  const registry = new ProjectionRegistry();
  registry.register(notes);
  return new BatchProjector(new ProjectorService(registry, writer.asRowWriter()));
}

describe('BatchProjector', () => {
  it('stores a batch with one insert per table, under the batch token', async () => {
    const writer = new FakeRowWriter();
    const outcomes = await projectorWith(writer).handle(
      batchOf(message('1', { text: 'a' }), message('2', { text: 'b' })),
    );
    expect(outcomes).toEqual([{ type: 'ok' }, { type: 'ok' }]);
    expect(writer.inserts).toEqual([
      {
        table: 'notes',
        rows: [
          { id: '1', text: 'a' },
          { id: '2', text: 'b' },
        ],
        token: 't/0/0-9:notes',
      },
    ]);
  });

  it('dead-letters whatever a projection throws for one message and stores the rest (no stall)', async () => {
    const writer = new FakeRowWriter();
    const outcomes = await projectorWith(writer).handle(
      batchOf(message('1', { text: 'a' }), message('2', { text: 'throw' }), message('3', { text: 'c' })),
    );
    expect(outcomes).toEqual([
      { type: 'ok' },
      {
        type: 'dlq',
        reason: 'the note projection failed: SyntaxError: Unexpected token n in JSON',
        envelopeId: '2',
        kind: 'note',
      },
      { type: 'ok' },
    ]);
    expect(writer.rows('notes').map((r) => r.id)).toEqual(['1', '3']);
  });

  it('retries a message whose projection failed with an error that says it is retriable', async () => {
    thrown = () => new TransientError('lookup service timed out');
    try {
      const outcomes = await projectorWith(new FakeRowWriter()).handle(
        batchOf(message('1', { text: 'throw' })),
      );
      expect(outcomes).toEqual([{ type: 'retry', error: expect.any(TransientError) }]);
    } finally {
      thrown = () => new SyntaxError('Unexpected token n in JSON');
    }
  });

  it('dead-letters undecodable bytes, invalid envelopes, unknown kinds and invalid payloads', async () => {
    const outcomes = await projectorWith(new FakeRowWriter()).handle(
      batchOf(
        { key: 'x', offset: '1', value: Buffer.from('not json') },
        { key: 'x', offset: '2', value: Buffer.from('{"id":"no-kind"}') },
        message('3', { text: 'a' }, 'unheard-of'),
        message('4', { text: 7 }),
      ),
    );
    expect(outcomes.map((o) => (o.type === 'dlq' ? o.reason : o.type))).toEqual([
      'not JSON: the message could not be decoded',
      expect.stringMatching(/^not a valid envelope: kind is required/),
      'no projection for kind "unheard-of"',
      'invalid note payload: text must be string',
    ]);
  });

  it('retries the whole batch when the store is unreachable', async () => {
    const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), { code: 'ECONNREFUSED' });
    const outcomes = await projectorWith(new FakeRowWriter(() => down)).handle(
      batchOf(message('1', { text: 'a' }), message('2', { text: 'b' })),
    );
    expect(outcomes).toEqual([
      { type: 'retry', error: down },
      { type: 'retry', error: down },
    ]);
  });

  it('isolates the message the store refuses by splitting the batch; its neighbours are stored', async () => {
    const refused = new ClickHouseError({ message: 'Cannot parse input', code: '27', type: 'CANNOT_PARSE' });
    const writer = new FakeRowWriter((_, rows) =>
      rows.some((r) => r.text === 'poison') ? refused : undefined,
    );
    const outcomes = await projectorWith(writer).handle(
      batchOf(...['a', 'b', 'poison', 'd', 'e'].map((text, i) => message(String(i), { text }))),
    );
    expect(outcomes.map((o) => o.type)).toEqual(['ok', 'ok', 'dlq', 'ok', 'ok']);
    expect(outcomes[2]).toMatchObject({
      reason: 'the store refused the rows: Cannot parse input',
      envelopeId: '2',
    });
    expect(writer.rows('notes').map((r) => r.text)).toEqual(['a', 'b', 'd', 'e']);
    // Each part has a token derived from the batch's, so a retry repeats exactly the same inserts.
    expect(writer.inserts.every((i) => i.token?.startsWith('t/0/0-9/'))).toBe(true);
  });
});
