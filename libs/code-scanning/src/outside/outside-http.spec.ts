import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  OutsideAuthError,
  OutsideBadAnswerError,
  OutsideRateLimitedError,
  OutsideTimeoutError,
  OutsideUnavailableError,
} from './outside-errors';
import { OutsideHttp, type OutsideHttpOptions, rateLimitWaitSeconds } from './outside-http';
import { StandInServer, type StandInHandler, sendJson } from '../testing/stand-in-server';

const TOKEN = 's3cr3t-t0k3n';
const NOW = 1_700_000_000_000;

describe('OutsideHttp', () => {
  let server: StandInServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function standIn(handler: StandInHandler): Promise<StandInServer> {
    server = await StandInServer.start(handler);
    return server;
  }

  function client(overrides: Partial<OutsideHttpOptions> = {}): OutsideHttp {
    return new OutsideHttp({
      service: 'GitHub',
      credentialVar: 'GITHUB_TOKEN',
      headers: { Authorization: `token ${TOKEN}`, Accept: 'application/vnd.github+json' },
      timeoutMs: 2_000,
      retries: 2,
      retryBaseMs: 5,
      ...overrides,
    });
  }

  async function failure(call: Promise<unknown>): Promise<Error> {
    try {
      await call;
    } catch (error) {
      return error as Error;
    }
    throw new Error('the call succeeded');
  }

  it('answers the JSON body and headers, sending the configured headers', async () => {
    const stub = await standIn((_req, res) => sendJson(res, 200, { ok: true }, { 'X-Thing': 'yes' }));
    const answer = await client().getJson(`${stub.origin}/a?b=c`);
    expect(answer.body).toEqual({ ok: true });
    expect(answer.headers.get('x-thing')).toBe('yes');
    expect(stub.seen).toHaveLength(1);
    expect(stub.seen[0]).toMatchObject({ method: 'GET', url: '/a?b=c' });
    expect(stub.seen[0].headers.authorization).toBe(`token ${TOKEN}`);
    expect(stub.seen[0].headers.accept).toBe('application/vnd.github+json');
  });

  it('leaves the credentials out when asked', async () => {
    const stub = await standIn((_req, res) => sendJson(res, 200, []));
    await client().getJson(`${stub.origin}/a`, { withCredentials: false });
    expect(stub.seen[0].headers.authorization).toBeUndefined();
    expect(stub.seen[0].headers.accept).toBe('application/vnd.github+json');
  });

  it('turns a 401 into OutsideAuthError, without retrying and without the token', async () => {
    const stub = await standIn((_req, res) => sendJson(res, 401, { message: 'Bad credentials' }));
    const error = await failure(client().getJson(`${stub.origin}/user`));
    expect(error).toBeInstanceOf(OutsideAuthError);
    expect(error.message).toBe('GitHub refused the credentials (401): check GITHUB_TOKEN');
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(TOKEN);
    expect(stub.seen).toHaveLength(1);
  });

  it('turns a 403 without rate-limit headers into OutsideAuthError', async () => {
    const stub = await standIn((_req, res) => sendJson(res, 403, { message: 'Resource not accessible' }));
    const error = await failure(client().getJson(`${stub.origin}/x`));
    expect(error).toBeInstanceOf(OutsideAuthError);
    expect((error as OutsideAuthError).upstreamStatus).toBe(403);
  });

  it('honours an exhausted rate limit: Retry-After until the reset, then fails fast until then', async () => {
    let now = NOW;
    const stub = await standIn((_req, res) =>
      sendJson(
        res,
        403,
        { message: 'API rate limit exceeded' },
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1_000 + 42) },
      ),
    );
    const http = client({ now: () => now });
    const first = await failure(http.getJson(`${stub.origin}/a`));
    expect(first).toBeInstanceOf(OutsideRateLimitedError);
    expect((first as OutsideRateLimitedError).headers['Retry-After']).toBe('42');
    expect((first as OutsideRateLimitedError).details.retry_after_seconds).toBe(42);
    expect(first.message).toBe("GitHub rate-limited the hub's calls: try again in 42 s");

    now += 30_000;
    const second = await failure(http.getJson(`${stub.origin}/b`));
    expect(second).toBeInstanceOf(OutsideRateLimitedError);
    expect((second as OutsideRateLimitedError).headers['Retry-After']).toBe('12');
    expect(stub.seen).toHaveLength(1);

    now += 12_000;
    await failure(http.getJson(`${stub.origin}/c`));
    expect(stub.seen.map((r) => r.url)).toEqual(['/a', '/c']);
  });

  it('takes the wait of a 429 from retry-after, capped at an hour', async () => {
    const stub = await standIn((req, res) =>
      sendJson(res, 429, {}, { 'retry-after': req.url === '/short' ? '30' : '86400' }),
    );
    const short = await failure(client().getJson(`${stub.origin}/short`));
    expect((short as OutsideRateLimitedError).retryAfterSeconds).toBe(30);
    const long = await failure(client().getJson(`${stub.origin}/long`));
    expect((long as OutsideRateLimitedError).headers['Retry-After']).toBe('3600');
  });

  it('retries a 5xx and answers what the next attempt gets', async () => {
    const stub = await standIn((_req, res) =>
      stub.seen.length === 1 ? sendJson(res, 500, { message: 'oops' }) : sendJson(res, 200, [1, 2]),
    );
    expect((await client().getJson(`${stub.origin}/a`)).body).toEqual([1, 2]);
    expect(stub.seen).toHaveLength(2);
  });

  it('gives up on a 5xx after 1 + retries attempts with OutsideUnavailableError', async () => {
    const stub = await standIn((_req, res) => sendJson(res, 502, {}));
    const error = await failure(client({ retries: 2 }).getJson(`${stub.origin}/a`));
    expect(error).toBeInstanceOf(OutsideUnavailableError);
    expect(error.message).toBe('GitHub is unavailable (HTTP 502, 3 attempts): try again later');
    expect(stub.seen).toHaveLength(3);
  });

  it('retries a refused connection and reports it as OutsideUnavailableError', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await failure(client({ retries: 1 }).getJson(`http://127.0.0.1:${port}/a`));
    expect(error).toBeInstanceOf(OutsideUnavailableError);
    expect(error.message).toContain('ECONNREFUSED, 2 attempts');
  });

  it('times out a service that never answers, after 1 + retries attempts', async () => {
    const stub = await standIn(() => undefined);
    const started = Date.now();
    const error = await failure(client({ timeoutMs: 200, retries: 1 }).getJson(`${stub.origin}/a`));
    expect(error).toBeInstanceOf(OutsideTimeoutError);
    expect(error.message).toBe('GitHub did not answer within 200 ms (2 attempts): try again later');
    expect(stub.seen).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  });

  it('times out a body that stalls after the headers', async () => {
    const stub = await standIn((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('[1,');
    });
    const error = await failure(client({ timeoutMs: 200, retries: 0 }).getJson(`${stub.origin}/a`));
    expect(error).toBeInstanceOf(OutsideTimeoutError);
  });

  it('turns another 4xx into OutsideBadAnswerError naming the path without the query, never retried', async () => {
    const stub = await standIn((_req, res) => sendJson(res, 404, { message: 'Not Found' }));
    const error = await failure(client().getJson(`${stub.origin}/repos/o/r/pulls?token=abc&page=1`));
    expect(error).toBeInstanceOf(OutsideBadAnswerError);
    expect(error.message).toBe(
      'GitHub answered 404 for /repos/o/r/pulls: check that it exists and that GITHUB_TOKEN may read it',
    );
    expect(stub.seen).toHaveLength(1);
  });

  it('turns a 200 body that is not JSON into OutsideBadAnswerError, not retried', async () => {
    const stub = await standIn((_req, res) => res.end('<html>maintenance</html>'));
    const error = await failure(client().getJson(`${stub.origin}/a`));
    expect(error).toBeInstanceOf(OutsideBadAnswerError);
    expect(error.message).toContain('not JSON for /a');
    expect(stub.seen).toHaveLength(1);
  });
});

describe('rateLimitWaitSeconds', () => {
  it('reads retry-after as seconds or a date, else an exhausted limit until its reset', () => {
    expect(rateLimitWaitSeconds(new Headers({ 'retry-after': '7' }), NOW)).toBe(7);
    const date = new Date(NOW + 90_000).toUTCString();
    expect(rateLimitWaitSeconds(new Headers({ 'retry-after': date }), NOW)).toBe(90);
    const reset = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1_000 + 5) };
    expect(rateLimitWaitSeconds(new Headers(reset), NOW)).toBe(5);
    expect(rateLimitWaitSeconds(new Headers({ 'x-ratelimit-remaining': '0' }), NOW)).toBe(60);
  });

  it('is undefined when the limit is not exhausted', () => {
    expect(rateLimitWaitSeconds(new Headers({ 'x-ratelimit-remaining': '12' }), NOW)).toBeUndefined();
    expect(rateLimitWaitSeconds(new Headers(), NOW)).toBeUndefined();
  });
});
