import type { Kafka, ProducerBatch } from 'kafkajs';
import type { Envelope } from '@th/contracts';
import { ServiceUnavailableError, loadConfig } from '@th/platform';
import { EnvelopeRoutes } from '../envelope-routes';
import { KafkaBus } from './kafka.bus';

const routes = new EnvelopeRoutes([{ kind: 'developer-report', topic: 'telemetry.reports.v1' }]);

const envelope = (id: string): Envelope => ({
  id,
  kind: 'developer-report',
  source: 'test',
  key: id,
  receivedAt: new Date().toISOString(),
  schemaVersion: 1,
  payload: {},
});

/** A producer whose sends complete only when the test says so. */
function fakeKafka() {
  const sends: { batch: ProducerBatch; ack: () => void; fail: (e: Error) => void }[] = [];
  const kafka = {
    producer: () => ({
      connect: async () => undefined,
      disconnect: async () => undefined,
      sendBatch: (batch: ProducerBatch) =>
        new Promise<void>((ack, fail) => {
          sends.push({ batch, ack: () => ack(), fail });
        }),
    }),
  } as unknown as Kafka;
  return { kafka, sends };
}

const ids = (batch: ProducerBatch) =>
  (batch.topicMessages ?? []).flatMap((t) =>
    t.messages.map((m) => (JSON.parse(String(m.value)) as Envelope).id),
  );

describe('KafkaBus', () => {
  it('coalesces publishes made while a send is in flight into the next produce call', async () => {
    const { kafka, sends } = fakeKafka();
    const bus = new KafkaBus(kafka, loadConfig({ KAFKA_PUBLISH_TIMEOUT_MS: '5000' }), routes);
    const first = bus.publish([envelope('a')]);
    await new Promise((resolve) => setImmediate(resolve));
    const second = bus.publish([envelope('b')]);
    const third = bus.publish([envelope('c')]);
    sends[0].ack();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    expect(sends).toHaveLength(2);
    expect(ids(sends[1].batch)).toEqual(['b', 'c']);
    expect(sends[1].batch.acks).toBe(-1);
    sends[1].ack();
    await Promise.all([second, third]);
  });

  it('sends each envelope to the topic its domain declared, and refuses an undeclared kind', async () => {
    const { kafka, sends } = fakeKafka();
    const bus = new KafkaBus(kafka, loadConfig({}), routes);
    const published = bus.publish([envelope('a')]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(sends[0].batch.topicMessages?.map((t) => t.topic)).toEqual(['telemetry.reports.v1']);
    sends[0].ack();
    await published;
    expect(() => bus.publish([{ ...envelope('b'), kind: 'nobody-declared-this' }])).toThrow(
      'no domain declares the envelope kind "nobody-declared-this"',
    );
  });

  it('answers 503 past the deadline and never sends late what was already refused', async () => {
    const { kafka, sends } = fakeKafka();
    const bus = new KafkaBus(kafka, loadConfig({ KAFKA_PUBLISH_TIMEOUT_MS: '100' }), routes);
    const stuck = bus.publish([envelope('a')]);
    await new Promise((resolve) => setImmediate(resolve));
    const refused = bus.publish([envelope('late')]);
    await expect(stuck).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(refused).rejects.toThrow('did not acknowledge within 100 ms');
    const fresh = bus.publish([envelope('fresh')]);
    sends[0].fail(new Error('broker gone'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(sends.map((s) => ids(s.batch))).toEqual([['a'], ['fresh']]);
    sends[1].ack();
    await fresh;
  });
});
