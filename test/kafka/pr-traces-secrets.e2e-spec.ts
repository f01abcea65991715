import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka } from 'kafkajs';
import { TOPICS } from '@th/contracts';
import { type RunningRole, eventually, startGateway, uniqueGroup } from '../helpers/distributed';
import { request } from '../helpers/http';

const nested = JSON.parse(readFileSync(join(__dirname, '../fixtures/pr-trace-batch.json'), 'utf8'));

/**
 * The log is kept forever, so a secret that reached it could never be taken back: the gateway
 * redacts payloads and hashes the developer before it publishes. Read back from the topic itself.
 */
describe('PR traces on the Kafka log: no secret, no raw developer id', () => {
  const kafka = new Kafka({
    clientId: 'trace-secrets-test',
    brokers: [process.env.KAFKA_BROKERS ?? ''],
    logLevel: 0,
  });
  let gateway: RunningRole;

  beforeAll(async () => {
    gateway = await startGateway();
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  it('publishes the batch with every planted secret replaced and the developer only hashed', async () => {
    const traceId = randomUUID();
    const userId = `dev-${randomUUID()}`;
    const secrets = {
      aws: 'AKIA' + 'IOSFODNN7EXAMPLE',
      github: 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8',
      password: 'hunter2-' + 'Sup3rSecret',
      slack: 'xoxb-' + '123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx',
    };
    const batch = structuredClone(nested);
    batch.trace_id = traceId;
    batch.developer.user_id = userId;
    batch.events[1].payload.stdout_sample = `export AWS_ACCESS_KEY_ID=${secrets.aws}`;
    batch.events[1].payload.command = `git push https://x:${secrets.github}@github.com/acme/payments`;
    batch.events[4].payload.message = `chore: DB_PASSWORD=${secrets.password}`;
    batch.events[5].payload.note = `slack bot ${secrets.slack}`;
    const answer = await request(`${gateway.url}/ingest`, { body: batch });
    expect(answer.status).toBe(200);
    expect(answer.body.accepted_event_ids).toHaveLength(6);

    const consumer = kafka.consumer({ groupId: uniqueGroup() });
    const found: Buffer[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: TOPICS.traces, fromBeginning: true });
      await consumer.run({
        eachMessage: ({ message }) => {
          if (message.key?.toString() === traceId && message.value) found.push(message.value);
          return Promise.resolve();
        },
      });
      await eventually(
        () => Promise.resolve(found.length > 0 ? found : undefined),
        30_000,
        'the batch on the topic',
      );
    } finally {
      await consumer.disconnect();
    }
    const onTheLog = found[0].toString('utf8');
    for (const secret of [...Object.values(secrets), userId]) expect(onTheLog).not.toContain(secret);
    const envelope = JSON.parse(onTheLog);
    expect(envelope.payload.header.developerHash).toMatch(/^[0-9a-f]{64}$/);
    const redactions = envelope.payload.events.map((e: { redactions: number }) => e.redactions);
    expect(redactions.reduce((a: number, b: number) => a + b, 0)).toBeGreaterThanOrEqual(4);
  });
});
