import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiKeysService } from '@th/access';
import { type TestApp, makeDataDir, removeDataDir, startTestApp } from './helpers/embedded-app';
import { request } from './helpers/http';

const report = JSON.parse(readFileSync(join(__dirname, 'fixtures/devlake-report.json'), 'utf8'));
const CONNECTIONS = '/plugins/developer_telemetry/connections';

/** Runs `check` on an app of its own (chDB: one data directory per process at a time). */
async function withApp(env: NodeJS.ProcessEnv, check: (app: TestApp) => Promise<void>): Promise<void> {
  const dir = makeDataDir();
  // Clients are told apart by X-Forwarded-For, as behind a load balancer.
  const app = await startTestApp(dir, { TRUSTED_PROXIES: '127.0.0.1', ...env });
  try {
    await check(app);
  } finally {
    await app.stop();
    removeDataDir(dir);
  }
}

/** A request as the client at `ip` would send it through the trusted proxy. */
const from = (ip: string, headers: Record<string, string> = {}) => ({ 'x-forwarded-for': ip, ...headers });

/** The value of a counter sample on /metrics, 0 when it has none yet. */
async function metric(app: TestApp, sample: string): Promise<number> {
  const text: string = (await request(`${app.url}/metrics`)).body;
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

/**
 * Issue 14's abuse limits: failed authentications limited per client (an IPv6 /64 is one client)
 * and per DevLake connection, with a metric; reads limited per key; CORS closed on GraphQL and
 * admin routes unless origins are listed; connection tokens generated on the server.
 */
describe('abuse limits (embedded)', () => {
  it('refuses a client unchecked after AUTH_FAILURE_LIMIT_PER_CLIENT wrong keys, counting IPv6 by /64', () =>
    withApp({ AUTH_FAILURE_LIMIT_PER_CLIENT: '3' }, async (app) => {
      const { key } = await app.app.get(ApiKeysService).issueAccessKey('reader', ['read']);
      const guess = (ip: string, k = 'thk_guessed-key-0000000000000000000000000000') =>
        request(`${app.url}/stats`, { headers: from(ip, { authorization: `Bearer ${k}` }) });
      const limitedBefore = await metric(app, 'auth_failures_total{credential="api_key",outcome="limited"}');
      for (let i = 0; i < 3; i++) expect((await guess('2001:db8:1:2::1')).status).toBe(401);
      const limited = await guess('2001:db8:1:2::1');
      expect(limited.status).toBe(429);
      expect(limited.body).toMatchObject({ error: 'too_many_failed_authentications' });
      expect(limited.body.message).toMatch(/AUTH_FAILURE_LIMIT_PER_CLIENT=3/);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      // Another address of the same /64 is the same client, even with the right key...
      expect((await guess('2001:db8:1:2::beef', key)).status).toBe(429);
      // ...while the next /64 and an IPv4 client are not touched.
      expect((await guess('2001:db8:1:3::1', key)).status).toBe(200);
      expect((await guess('198.51.100.7', key)).status).toBe(200);
      expect(
        await metric(app, 'auth_failures_total{credential="api_key",outcome="refused"}'),
      ).toBeGreaterThanOrEqual(3);
      expect(await metric(app, 'auth_failures_total{credential="api_key",outcome="limited"}')).toBe(
        limitedBefore + 2,
      );
      // The metrics never name a key or a client.
      const metrics: string = (await request(`${app.url}/metrics`)).body;
      expect(metrics).not.toContain('thk_');
      expect(metrics).not.toContain('2001:db8');
    }));

  it('closes a connection under token guessing to new clients, not to the collectors already sending', () =>
    withApp({ AUTH_FAILURE_LIMIT_PER_CLIENT: '5', AUTH_FAILURE_LIMIT_PER_CONNECTION: '4' }, async (app) => {
      const created = await request(`${app.url}${CONNECTIONS}`, { body: { name: 'guessed' } });
      const base = `${app.url}${CONNECTIONS}/${created.body.id}`;
      const generated = await request(`${base}/secret-token`, { method: 'POST' });
      expect(generated.status).toBe(200);
      const token: string = generated.body.secretToken;
      expect(token).toMatch(/^thct_[A-Za-z0-9_-]{43}$/);
      expect(generated.body).toMatchObject({ id: created.body.id, hasSecretToken: true });
      const post = (ip: string, bearer: string) =>
        request(`${base}/report`, { body: report, headers: from(ip, { authorization: `Bearer ${bearer}` }) });
      expect((await post('10.0.0.1', token)).status).toBe(200); // the collector
      // Four attackers, one wrong token each: none of them reaches its own limit of 5.
      for (const ip of ['10.0.1.1', '10.0.1.2', '10.0.1.3', '10.0.1.4'])
        expect((await post(ip, `wrong-${ip}`)).status).toBe(401);
      const fifth = await post('10.0.1.5', 'wrong');
      expect(fifth.status).toBe(429);
      expect(fifth.body.message).toMatch(/AUTH_FAILURE_LIMIT_PER_CONNECTION=4/);
      // A client it has not seen is refused even with the right token; the collector carries on.
      expect((await post('10.0.2.1', token)).status).toBe(429);
      expect((await post('10.0.0.1', token)).status).toBe(200);
      expect(
        await metric(app, 'auth_failures_total{credential="report_token",outcome="refused"}'),
      ).toBeGreaterThanOrEqual(4);
    }));

  it('generates connection tokens on the server: shown once, the old one stops working', () =>
    withApp({}, async (app) => {
      const created = await request(`${app.url}${CONNECTIONS}`, {
        body: { name: 'rotated', secretToken: 'operator-chosen-token' },
      });
      const base = `${app.url}${CONNECTIONS}/${created.body.id}`;
      const auth = (token: string) => ({ authorization: `Bearer ${token}` });
      expect(
        (await request(`${base}/report`, { body: report, headers: auth('operator-chosen-token') })).status,
      ).toBe(200);
      const generated = await request(`${app.url}/graphql`, {
        body: {
          query: `mutation { generateConnectionSecretToken(id: ${created.body.id}) { id hasSecretToken secretToken } }`,
        },
      });
      const { secretToken } = generated.body.data.generateConnectionSecretToken;
      expect(secretToken).toMatch(/^thct_/);
      expect((await request(`${base}/report`, { body: report, headers: auth(secretToken) })).status).toBe(
        200,
      );
      expect(
        (await request(`${base}/report`, { body: report, headers: auth('operator-chosen-token') })).status,
      ).toBe(401);
      // Never shown again.
      expect(JSON.stringify((await request(base)).body)).not.toContain(secretToken);
    }));

  it('limits reads per key (READ_RATE_LIMIT_MAX), a GraphQL request counting once', () =>
    withApp({ READ_RATE_LIMIT_MAX: '3' }, async (app) => {
      const keys = app.app.get(ApiKeysService);
      const a = (await keys.issueAccessKey('a', ['read'])).key;
      const b = (await keys.issueAccessKey('b', ['read'])).key;
      const stats = (key: string) =>
        request(`${app.url}/stats`, { headers: { authorization: `Bearer ${key}` } });
      const first = await stats(a);
      expect(first.status).toBe(200);
      expect(first.headers.get('ratelimit-limit')).toBe('3');
      expect(first.headers.get('ratelimit-remaining')).toBe('2');
      await stats(a);
      await stats(a);
      const over = await stats(a);
      expect(over.status).toBe(429);
      expect(over.body.message).toMatch(/rate limit of 3 reads per READ_RATE_LIMIT_TIME_WINDOW exceeded/);
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
      // Per key: b reads on, three GraphQL requests of several fields each are three reads.
      const gql = () =>
        request(`${app.url}/graphql`, {
          headers: { 'x-api-key': b },
          body: {
            query: '{ s1: scanStats { totalRuns } s2: scanStats { totalRuns } s3: scanStats { totalRuns } }',
          },
        });
      for (let i = 0; i < 3; i++) expect((await gql()).body.errors).toBeUndefined();
      const refused = await gql();
      expect(refused.body.data).toBeNull();
      expect(refused.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
      expect(refused.body.errors[0].message).toMatch(/rate limit of 3 reads/);
    }));

  it('answers browsers on the ingestion routes only, unless API_CORS_ORIGINS lists an origin', async () => {
    const preflight = (app: TestApp, path: string, origin: string) =>
      fetch(`${app.url}${path}`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
    await withApp({}, async (app) => {
      const evil = 'https://evil.example';
      for (const path of ['/t', '/v1/traces', '/ingest', '/api/runs'])
        expect((await preflight(app, path, evil)).headers.get('access-control-allow-origin')).toBe(evil);
      for (const path of ['/graphql', '/stats', CONNECTIONS, `${CONNECTIONS}/1`, '/api/poll'])
        expect((await preflight(app, path, evil)).headers.get('access-control-allow-origin')).toBeNull();
      const posted = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { origin: evil, 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(posted.headers.get('access-control-allow-origin')).toBeNull();
    });
    await withApp({ API_CORS_ORIGINS: 'https://grafana.example.com' }, async (app) => {
      const allowed = await preflight(app, '/graphql', 'https://grafana.example.com');
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://grafana.example.com');
      expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');
      const other = await preflight(app, '/graphql', 'https://evil.example');
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    });
  });
});
