import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka } from 'kafkajs';
import { TOPICS } from '@th/contracts';
import { distributedAppsForSuite, eventually, uniqueGroup } from '../helpers/distributed';
import { graphql, request } from '../helpers/http';

const fixture = JSON.parse(readFileSync(join(__dirname, '../fixtures/devlake-report.json'), 'utf8'));

/** A message that can never be stored goes to the DLQ with its reason; the ones behind it are stored. */
describe('poison messages', () => {
  const kafka = new Kafka({
    clientId: 'poison-test',
    brokers: [process.env.KAFKA_BROKERS ?? ''],
    logLevel: 0,
  });
  const apps = distributedAppsForSuite();

  it('dead-letters the poison with its reason and original bytes, and stores what follows', async () => {
    const marker = randomUUID();
    const admin = kafka.admin();
    await admin.connect();
    const [metadata] = (await admin.fetchTopicMetadata({ topics: [TOPICS.reports] })).topics;
    await admin.disconnect();

    // In every partition, two poisons ahead of the good reports: bytes that are not JSON, and an
    // envelope whose payload breaks the report schema.
    const notJson = Buffer.from(`\u0000not json ${marker}`);
    const badPayload = JSON.stringify({
      id: `poison-${marker}`,
      kind: 'developer-report',
      source: 'test',
      key: marker,
      receivedAt: new Date().toISOString(),
      schemaVersion: 1,
      payload: { connectionId: 1, report: { date: '2026-02-31', developer: marker, metrics: {} } },
    });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: TOPICS.reports,
      acks: -1,
      messages: metadata.partitions.flatMap((p) => [
        { partition: p.partitionId, key: marker, value: notJson },
        { partition: p.partitionId, key: marker, value: badPayload },
      ]),
    });
    await producer.disconnect();

    const base = `${apps.gateway.url}/plugins/developer_telemetry/connections`;
    const id: number = (await request(base, { body: { name: 'poison' } })).body.id;
    const developers = Array.from({ length: 12 }, (_, i) => `after-poison-${marker}-${i}`);
    for (const developer of developers) {
      expect((await request(`${base}/${id}/report`, { body: { ...fixture, developer } })).status).toBe(200);
    }

    await eventually(
      async () => {
        const result = await graphql(
          apps.projector.url,
          `
            query ($c: Int) {
              developerMetrics(connectionId: $c) {
                totalCount
              }
            }
          `,
          {
            c: id,
          },
        );
        return result.data?.developerMetrics.totalCount === developers.length ? true : undefined;
      },
      60_000,
      'the reports behind the poison',
    );

    const letters = await readDeadLetters(marker, metadata.partitions.length * 2);
    const reasons = letters.map((l) => l.reason);
    expect(reasons.filter((r) => r.startsWith('not JSON'))).toHaveLength(metadata.partitions.length);
    expect(reasons.filter((r) => r.includes('date must be a real calendar date'))).toHaveLength(
      metadata.partitions.length,
    );
    expect(letters.some((l) => l.value.equals(notJson))).toBe(true);
    expect(letters.some((l) => l.value.toString() === badPayload)).toBe(true);
    expect(letters.every((l) => l.sourceTopic === TOPICS.reports)).toBe(true);

    // The counter moves just after the dead letters are sent: at least this test's poisons, one of
    // each kind in every partition.
    const deadLetters = await eventually(
      async () => {
        const metrics = await fetch(`${apps.projector.url}/metrics`).then((r) => r.text());
        const sample = /^projector_dead_letters_total\{topic="telemetry\.reports\.v1"\} (\d+)$/m.exec(
          metrics,
        );
        const count = Number(sample?.[1] ?? 0);
        return count >= metadata.partitions.length * 2 ? count : undefined;
      },
      10_000,
      'the dead-letter counter',
    );
    expect(deadLetters).toBeGreaterThanOrEqual(metadata.partitions.length * 2);
  });

  async function readDeadLetters(marker: string, expected: number) {
    const consumer = kafka.consumer({ groupId: uniqueGroup() });
    const letters: { value: Buffer; reason: string; sourceTopic: string }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: TOPICS.deadLetters, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (!message.value?.toString().includes(marker)) return;
        letters.push({
          value: message.value,
          reason: message.headers?.reason?.toString() ?? '',
          sourceTopic: message.headers?.['source-topic']?.toString() ?? '',
        });
      },
    });
    try {
      await eventually(
        async () => (letters.length >= expected ? true : undefined),
        30_000,
        'the dead letters',
      );
    } finally {
      await consumer.disconnect();
    }
    return letters;
  }
});
