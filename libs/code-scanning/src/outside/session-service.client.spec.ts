import { BadRequestError } from '@th/platform';
import { OutsideAuthError, OutsideBadAnswerError } from './outside-errors';
import { SessionServiceClient, pollableSessionId } from './session-service.client';
import { StandInServer, sendJson } from '../testing/stand-in-server';

const KEY = 'apk_s3cr3t';

describe('SessionServiceClient', () => {
  let server: StandInServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** A session service answering each `/v1/sessions/<id>` with the body given for that id. */
  async function sessions(bodies: Record<string, unknown>): Promise<SessionServiceClient> {
    server = await StandInServer.start((req, res) => {
      const id = decodeURIComponent(req.url.slice('/v1/sessions/'.length));
      if (id in bodies) sendJson(res, 200, bodies[id]);
      else sendJson(res, 404, { detail: 'not found' });
    });
    return new SessionServiceClient({
      apiKey: KEY,
      baseUrl: `${server.origin}/v1`,
      timeoutMs: 2_000,
      retries: 1,
      retryBaseMs: 5,
    });
  }

  it('asks for the session without its devin- prefix, URL-encoded, with the bearer key', async () => {
    const client = await sessions({ 'abc 1/x': { status_enum: 'Finished' } });
    expect(await client.getSession('devin-abc 1/x')).toEqual({ status: 'finished', prUrl: null });
    expect(server?.seen[0].url).toBe('/v1/sessions/abc%201%2Fx');
    expect(server?.seen[0].headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('reads status_enum, else status, else unknown, lower-cased', async () => {
    const client = await sessions({
      both: { status_enum: 'BLOCKED', status: 'running' },
      emptyEnum: { status_enum: '', status: 'Running' },
      plain: { status: 'STOPPED' },
      none: {},
      nulls: { status_enum: null, status: null },
    });
    const statuses = await Promise.all(
      ['both', 'emptyEnum', 'plain', 'none', 'nulls'].map(async (id) => (await client.getSession(id)).status),
    );
    expect(statuses).toEqual(['blocked', 'running', 'stopped', 'unknown', 'unknown']);
  });

  it('finds the PR URL in structured_output, result, then pull_request', async () => {
    const pr = (n: number): string => `https://github.com/o/r/pull/${n}`;
    const cases: Record<string, [unknown, string | null]> = {
      structured: [
        { structured_output: { pull_request_url: pr(1) }, result: { pull_request_url: pr(2) } },
        pr(1),
      ],
      emptyStructured: [
        { structured_output: { pull_request_url: '' }, result: { pull_request_url: pr(2) } },
        pr(2),
      ],
      result: [{ structured_output: null, result: { pull_request_url: pr(2) }, pull_request: pr(9) }, pr(2)],
      prObjectUrl: [{ pull_request: { url: pr(3), html_url: pr(4) } }, pr(3)],
      prObjectHtmlUrl: [{ pull_request: { url: '', html_url: pr(4) } }, pr(4)],
      prString: [{ result: 'done', pull_request: pr(5) }, pr(5)],
      prEmptyString: [{ pull_request: '' }, null],
      prEmptyObject: [{ pull_request: {} }, null],
      nothing: [{ status: 'running' }, null],
    };
    const client = await sessions(
      Object.fromEntries(Object.entries(cases).map(([id, [body]]) => [id, body])),
    );
    for (const [id, [, expected]] of Object.entries(cases)) {
      expect({ id, prUrl: (await client.getSession(id)).prUrl }).toEqual({ id, prUrl: expected });
    }
  });

  it('refuses a session body that is not an object', async () => {
    const client = await sessions({ list: [] });
    await expect(client.getSession('list')).rejects.toBeInstanceOf(OutsideBadAnswerError);
  });

  it('reports a refused key without the key, naming DEVIN_API_KEY', async () => {
    server = await StandInServer.start((_req, res) => sendJson(res, 401, { detail: 'invalid key' }));
    const client = new SessionServiceClient({
      apiKey: KEY,
      baseUrl: server.origin,
      timeoutMs: 2_000,
      retries: 0,
    });
    const error = await client.getSession('devin-abc').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutsideAuthError);
    expect((error as Error).message).toBe(
      'the session service refused the credentials (401): check DEVIN_API_KEY',
    );
    expect(server.seen[0].url).toBe('/sessions/abc');
  });

  it('refuses ids that are no session, without calling', async () => {
    const client = await sessions({});
    for (const id of ['', 'devin-', '..', 'devin-.']) {
      await expect(client.getSession(id)).rejects.toBeInstanceOf(BadRequestError);
    }
    expect(server?.seen).toHaveLength(0);
  });
});

describe('pollableSessionId', () => {
  it('is false for no session and for dry runs', () => {
    expect(pollableSessionId('')).toBe(false);
    expect(pollableSessionId('dry-run')).toBe(false);
    expect(pollableSessionId('devin-abc')).toBe(true);
    expect(pollableSessionId('abc')).toBe(true);
  });
});
