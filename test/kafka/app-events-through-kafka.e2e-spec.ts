import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { distributedAppsForSuite, eventually, startGateway } from '../helpers/distributed';
import { graphql, request } from '../helpers/http';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { TelemetryClient } = require('../clients/minigem-telemetry-client') as {
  TelemetryClient: new (endpoint: string) => {
    userId: string;
    track(event: string, metadata?: object): Promise<void>;
  };
};

const batch = JSON.parse(readFileSync(join(__dirname, '../fixtures/jwc-batch.json'), 'utf8'));

/** jwc.v1 through the distributed path: gateway -> Kafka -> projector -> exact stats. */
describe('app usage events through Kafka', () => {
  const apps = distributedAppsForSuite();

  const stats = async (evt?: string) =>
    (
      await graphql(
        apps.projector.url,
        `
          query ($evt: String) {
            appStats(from: "2000-01-01", to: "2100-01-01", evt: $evt) {
              total
              uniques
              byEvent {
                key
                events
              }
            }
          }
        `,
        { evt },
      )
    ).data?.appStats;

  it("accepts the README's TelemetryClient unchanged", async () => {
    Object.assign(globalThis, { navigator: { platform: 'Linux x86_64' } });
    const client = new TelemetryClient(apps.gateway.url);
    await client.track('readme.client.started');
    await client.track('readme.client.feature', { feature: 'search', duration_ms: 42 });
    const result = await eventually(async () => {
      const s = await stats();
      const names = (s?.byEvent ?? []).map((e: { key: string }) => e.key);
      return names.includes('readme.client.started') && names.includes('readme.client.feature')
        ? s
        : undefined;
    });
    expect(result.byEvent).toEqual(
      expect.arrayContaining([
        { key: 'readme.client.started', events: 1 },
        { key: 'readme.client.feature', events: 1 },
      ]),
    );
  });

  it('changes no stat when the same batch is resent through the gateway', async () => {
    const first = await request(`${apps.gateway.url}/t`, { body: batch });
    expect(first.body).toEqual({ ok: true, accepted: 3, skipped: 0, rejected: [] });
    const before = await eventually(async () => {
      const s = await stats('feature.used');
      return s?.total === 1 ? await stats() : undefined;
    });
    for (let i = 0; i < 3; i++)
      expect((await request(`${apps.gateway.url}/t`, { body: batch })).status).toBe(200);
    // A marker sent after the resends: once it is visible, the resends have been projected too.
    const marker = `marker-${randomUUID()}`;
    await request(`${apps.gateway.url}/t`, {
      body: { schema: 'jwc.v1', anon: marker, evt: marker, t: Date.now() },
    });
    const after = await eventually(async () =>
      (await stats(marker))?.total === 1 ? await stats() : undefined,
    );
    expect(after.total).toBe(before.total + 1);
    expect(after.uniques).toBe(before.uniques + 1);
  });

  it('refuses to start a gateway without YEARLY_SALT', async () => {
    await expect(startGateway({ YEARLY_SALT: '' })).rejects.toThrow('YEARLY_SALT is not set');
  });
});
