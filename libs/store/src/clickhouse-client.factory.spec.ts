import { type IncomingMessage, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '@th/platform';
import { createClickHouseClient, storeTarget } from './clickhouse-client.factory';

describe('store target', () => {
  it('is chDB under DATA_DIR by default', () => {
    const target = storeTarget(loadConfig({ DATA_DIR: '/var/lib/th' }));
    expect(target).toEqual({ kind: 'embedded', path: '/var/lib/th/clickhouse' });
  });

  it('is the ClickHouse server when CLICKHOUSE_URL is set, with its credentials and database', () => {
    const target = storeTarget(
      loadConfig({
        CLICKHOUSE_URL: 'https://ch.internal:8443',
        CLICKHOUSE_USER: 'hub',
        CLICKHOUSE_PASSWORD: 'pw',
        CLICKHOUSE_DATABASE: 'telemetry',
      }),
    );
    expect(target).toEqual({
      kind: 'server',
      url: 'https://ch.internal:8443/',
      username: 'hub',
      password: 'pw',
      database: 'telemetry',
    });
  });

  it('sends queries over HTTP to the server, authenticated and in the configured database', async () => {
    // A stand-in for the ClickHouse HTTP interface: records the request, answers one JSON row.
    const seen: IncomingMessage[] = [];
    const server = createServer((req, res) => {
      seen.push(req);
      req.resume();
      req.on('end', () => {
        res.setHeader('Content-Type', 'application/x-ndjson');
        res.setHeader('X-ClickHouse-Format', 'JSONEachRow');
        res.end('{"answer":42}\n');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = createClickHouseClient(
      storeTarget(
        loadConfig({
          CLICKHOUSE_URL: `http://127.0.0.1:${port}`,
          CLICKHOUSE_USER: 'hub',
          CLICKHOUSE_PASSWORD: 'pw',
          CLICKHOUSE_DATABASE: 'telemetry',
        }),
      ),
    );
    try {
      const result = await client.query({ query: 'SELECT 42 AS answer', format: 'JSONEachRow' });
      expect(await result.json()).toEqual([{ answer: 42 }]);
      const url = new URL(seen[0].url ?? '', 'http://x');
      expect(url.searchParams.get('database')).toBe('telemetry');
      expect(seen[0].headers.authorization).toBe(`Basic ${Buffer.from('hub:pw').toString('base64')}`);
    } finally {
      await client.close();
      server.close();
    }
  });
});
