import { Type } from '@sinclair/typebox';
import { compileSchema } from '@th/platform';
import type { Projection } from './projection';
import { ProjectionRegistry } from './projection-registry';
import { ProjectorService } from './projector.service';
import { FakeRowWriter } from './testing';

/** A tally projection that writes one row to two tables per envelope. */
const tally: Projection<{ n: number }> = {
  kind: 'tally',
  validatePayload: compileSchema(Type.Object({ n: Type.Integer({ minimum: 0 }) })),
  project: (envelope) => [
    { table: 'tallies', row: { id: envelope.id, n: envelope.payload.n } },
    { table: 'tally_log', row: { id: envelope.id } },
  ],
};

const envelope = (id: string, payload: unknown) => ({
  value: {
    id,
    kind: 'tally',
    source: 's',
    key: id,
    receivedAt: '2026-01-01T00:00:00Z',
    schemaVersion: 1,
    payload,
  },
});

function serviceWith(writer: FakeRowWriter): ProjectorService {
  const registry = new ProjectionRegistry();
  registry.register(tally);
  return new ProjectorService(registry, writer.asRowWriter());
}

describe('ProjectorService', () => {
  it('groups the rows of a batch per table: one insert per table, tokens naming the table', async () => {
    const writer = new FakeRowWriter();
    await serviceWith(writer).project([envelope('a', { n: 1 }), envelope('b', { n: 2 })], 'tok');
    expect(writer.inserts.map((i) => [i.table, i.rows.length, i.token])).toEqual([
      ['tallies', 2, 'tok:tallies'],
      ['tally_log', 2, 'tok:tally_log'],
    ]);
  });

  it('validates the payload again on consume: an invalid one is dead-lettered, not stored', async () => {
    const writer = new FakeRowWriter();
    const outcomes = await serviceWith(writer).project(
      [envelope('a', { n: -1 }), envelope('b', { n: 2 })],
      't',
    );
    expect(outcomes[0]).toMatchObject({ type: 'dlq', envelopeId: 'a', kind: 'tally' });
    expect(outcomes[1]).toEqual({ type: 'ok' });
    expect(writer.rows('tallies')).toEqual([{ id: 'b', n: 2 }]);
  });

  it('throws a failing insert as it came, for the caller to classify', async () => {
    const failure = new Error('insert failed');
    await expect(
      serviceWith(new FakeRowWriter(() => failure)).project([envelope('a', { n: 1 })], 't'),
    ).rejects.toBe(failure);
  });

  it('refuses a second projection for the same kind', () => {
    const registry = new ProjectionRegistry();
    registry.register(tally);
    expect(() => registry.register(tally)).toThrow('a projection for "tally" is already registered');
  });

  it('prepares a stateful projection once per batch, with its own valid envelopes, and projects them in order', async () => {
    const prepared: string[][] = [];
    /** Numbers envelopes per key, continuing from what the "store" holds. */
    const numbering: Projection<{ n: number }, Map<string, number>> = {
      kind: 'numbered',
      validatePayload: compileSchema(Type.Object({ n: Type.Integer({ minimum: 0 }) })),
      prepare: (envelopes) => {
        prepared.push(envelopes.map((e) => e.id));
        return Promise.resolve(new Map([['k', 10]]));
      },
      project: (envelope, last) => {
        const seq = (last.get(envelope.key) ?? 0) + 1;
        last.set(envelope.key, seq);
        return [{ table: 'numbered', row: { id: envelope.id, seq } }];
      },
    };
    const registry = new ProjectionRegistry();
    registry.register(tally);
    registry.register(numbering);
    const writer = new FakeRowWriter();
    const numbered = (id: string, n: number) => ({
      value: { ...envelope(id, { n }).value, kind: 'numbered', key: 'k' },
    });
    await new ProjectorService(registry, writer.asRowWriter()).project(
      [numbered('a', 1), envelope('t', { n: 1 }), numbered('bad', -1), numbered('b', 2)],
      'tok',
    );
    expect(prepared).toEqual([['a', 'b']]);
    expect(writer.rows('numbered')).toEqual([
      { id: 'a', seq: 11 },
      { id: 'b', seq: 12 },
    ]);
  });

  it('fails the whole batch when preparing fails, so the batch is retried from the store', async () => {
    const registry = new ProjectionRegistry();
    registry.register({ ...tally, prepare: () => Promise.reject(new Error('store down')) });
    const writer = new FakeRowWriter();
    await expect(
      new ProjectorService(registry, writer.asRowWriter()).project([envelope('a', { n: 1 })], 't'),
    ).rejects.toThrow('store down');
    expect(writer.inserts).toEqual([]);
  });
});
