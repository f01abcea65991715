import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningRole, eventually, startGateway } from '../helpers/distributed';
import { request } from '../helpers/http';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startKafka } = require('../../deploy/local/kafka/kafka-local') as {
  startKafka(opts?: { dataDir?: string; port?: number; controllerPort?: number }): Promise<LocalBroker>;
};

interface LocalBroker {
  bootstrap: string;
  dataDir: string;
  port: number;
  controllerPort: number;
  stop(opts?: { removeDataDir?: boolean }): Promise<void>;
}

const fixture = JSON.parse(readFileSync(join(__dirname, '../fixtures/devlake-report.json'), 'utf8'));

/**
 * The broker goes away: the gateway answers 503 with Retry-After and acknowledges nothing. The
 * broker comes back on the same address: ingestion resumes without restarting the gateway. This
 * suite stops its broker, so it runs on a private one.
 */
describe('broker outage', () => {
  let broker: LocalBroker;
  let gateway: RunningRole;

  beforeAll(async () => {
    broker = await startKafka();
    gateway = await startGateway({ KAFKA_BROKERS: broker.bootstrap, KAFKA_PUBLISH_TIMEOUT_MS: '1500' });
  });

  afterAll(async () => {
    await gateway?.stop().catch(() => undefined);
    await broker?.stop({ removeDataDir: true });
  });

  it('answers 503 while the broker is down and resumes by itself when it is back', async () => {
    const base = `${gateway.url}/plugins/developer_telemetry/connections`;
    const id: number = (await request(base, { body: { name: 'outage' } })).body.id;
    const url = `${base}/${id}/report`;
    expect((await request(url, { body: fixture })).status).toBe(200);

    await broker.stop();
    const started = Date.now();
    const during = await request(url, { body: { ...fixture, date: '2026-02-12' } });
    expect(during.status).toBe(503);
    expect(during.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(during.body).toMatchObject({ success: false, error: 'unavailable' });
    expect(Date.now() - started).toBeLessThan(10_000);

    broker = await startKafka({
      dataDir: broker.dataDir,
      port: broker.port,
      controllerPort: broker.controllerPort,
    });
    const after = await eventually(
      async () => {
        const response = await request(url, { body: { ...fixture, date: '2026-02-13' } });
        return response.status === 200 ? response : undefined;
      },
      90_000,
      'the gateway to accept reports again',
    );
    expect(after.body).toMatchObject({ success: true, message: 'telemetry data received successfully' });
  });
});
