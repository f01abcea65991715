import type { ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SeenRequest, StandInServer, sendJson } from '@th/code-scanning/testing';
import { type TestApp, makeDataDir, removeDataDir, startTestApp } from './helpers/embedded-app';
import { graphql, request } from './helpers/http';

/* eslint-disable @typescript-eslint/no-explicit-any -- tests read arbitrary JSON answers */

const sample = () => JSON.parse(readFileSync(join(__dirname, 'fixtures', 'codescan-run.json'), 'utf8'));

const GITHUB_TOKEN = 'ghp_standin_secret_0123456789';
const DEVIN_API_KEY = 'apk_standin_secret_9876543210';
const RUNS_INGEST_TOKEN = 'runs-standin-token-4242';

type Route = (request: SeenRequest, response: ServerResponse) => boolean;

/**
 * Issue 13's outside calls against small local HTTP servers standing in for GitHub and the session
 * service (the only fakes allowed): the happy paths, and their errors (401, 403 rate limit, 500,
 * a timeout) answered with a clear error of ours and nothing half-written. Each test uses repos
 * and sessions of its own and sets the routes it needs.
 */
describe('code-scanning outside calls (embedded, stand-in GitHub and session service)', () => {
  const dataDir = makeDataDir();
  let app: TestApp;
  let github: StandInServer;
  let sessions: StandInServer;
  /** Routes of the test at hand; anything else is a 404, as on GitHub. */
  let githubRoutes: Route[] = [];
  let sessionRoutes: Route[] = [];

  const routeWith = (routes: () => Route[]) => (req: SeenRequest, res: ServerResponse) => {
    for (const route of routes()) if (route(req, res)) return;
    sendJson(res, 404, { message: 'Not Found' });
  };

  beforeAll(async () => {
    github = await StandInServer.start(routeWith(() => githubRoutes));
    sessions = await StandInServer.start(routeWith(() => sessionRoutes));
    app = await startTestApp(dataDir, {
      GITHUB_TOKEN,
      ACTION_REPO: 'acme/fixer',
      GITHUB_API_URL: github.origin,
      DEVIN_API_KEY,
      DEVIN_API_URL: `${sessions.origin}/v1`,
      RUNS_INGEST_TOKEN,
      // Every call reaches the stand-ins; short timeouts and one retry keep the error tests quick.
      CACHE_TTL: '0',
      OUTSIDE_TIMEOUT_MS: '300',
      OUTSIDE_RETRIES: '1',
    });
  });

  afterAll(async () => {
    await app?.stop();
    await github?.close();
    await sessions?.close();
    removeDataDir(dataDir);
  });

  beforeEach(() => {
    githubRoutes = [];
    sessionRoutes = [];
  });

  const authorised = { authorization: `Bearer ${RUNS_INGEST_TOKEN}` };
  const push = (body: unknown) => request(`${app.url}/api/runs`, { body, headers: authorised });
  const post = (path: string) => request(`${app.url}${path}`, { method: 'POST' });
  const get = (path: string) => request(`${app.url}${path}`);

  const runIn = (repo: string, n: number, overrides: Record<string, unknown> = {}) => ({
    ...sample(),
    target_repo: `https://github.com/acme/${repo}`,
    fork_url: `https://github.com/acme-bot/${repo}`,
    run_number: n,
    run_label: `run-${n}`,
    timestamp: `2026-05-0${n}T09:00:00+00:00`,
    sessions: [],
    issue_fingerprints: sample().issue_fingerprints.map((f: any, i: number) => ({
      ...f,
      id: `CQLF-R${n}-000${i + 1}`,
    })),
    ...overrides,
  });

  /** The contents listing of ACTION_REPO's telemetry/runs and each file's download. */
  const runFiles = (files: { name: string; body: unknown; fail?: number }[]): Route[] => [
    (req, res) => {
      if (!req.url.startsWith('/repos/acme/fixer/contents/telemetry/runs?')) return false;
      sendJson(
        res,
        200,
        files.map((f, i) => ({
          name: f.name,
          type: 'file',
          size: 100 + i,
          sha: `sha-${f.name}`,
          download_url: `${github.origin}/raw/${f.name}`,
        })),
      );
      return true;
    },
    (req, res) => {
      const file = files.find((f) => req.url === `/raw/${f.name}`);
      if (!file) return false;
      if (file.fail) sendJson(res, file.fail, { message: 'boom' });
      else sendJson(res, 200, file.body);
      return true;
    },
  ];

  it('asks for the bearer token on POST /api/runs when RUNS_INGEST_TOKEN is set', async () => {
    const body = runIn('token', 1);
    const none = await request(`${app.url}/api/runs`, { body });
    expect(none.status).toBe(401);
    expect(none.body.error).toBe('POST /api/runs needs Authorization: Bearer <RUNS_INGEST_TOKEN>');
    const wrong = await request(`${app.url}/api/runs`, { body, headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    expect((await push(body)).status).toBe(200);
  });

  it('pulls the run files of ACTION_REPO (POST /api/refresh), each once, as a push would be', async () => {
    githubRoutes = runFiles([
      { name: 'acme_pulled_run_1_20260501_090000.json', body: runIn('pulled', 1) },
      { name: 'acme_pulled_run_2_20260502_090000.json', body: runIn('pulled', 2) },
      { name: 'README.md', body: {} },
    ]);
    const first = await post('/api/refresh');
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ downloaded: 2, total_files: 2, skipped: [] });
    const listing = github.seen.find((r) => r.url.startsWith('/repos/acme/fixer/contents/telemetry/runs'));
    expect(listing?.url).toBe('/repos/acme/fixer/contents/telemetry/runs?per_page=100&page=1');
    expect(listing?.headers.authorization).toBe(`token ${GITHUB_TOKEN}`);
    expect(listing?.headers.accept).toBe('application/vnd.github+json');

    const again = await post('/api/refresh');
    expect(again.body).toEqual({ downloaded: 0, total_files: 2, skipped: [] });
    const detail = (await get('/api/repo/acme/pulled')).body;
    expect(detail.stats.total_runs).toBe(2);
    expect(detail.issues.items.map((i: any) => i.status)).toEqual(['recurring', 'recurring']);
  });

  it('refreshes nothing when one download fails, and names a file that is not a run file', async () => {
    githubRoutes = runFiles([
      { name: 'acme_half_run_1.json', body: runIn('half', 1) },
      { name: 'acme_half_run_2.json', body: runIn('half', 2), fail: 500 },
    ]);
    const failed = await post('/api/refresh');
    expect(failed.status).toBe(502);
    expect(failed.body).toMatchObject({ code: 'outside_unavailable' });
    expect(failed.body.error).toContain('GitHub');
    // The first file downloaded fine; nothing of the refresh is stored.
    expect((await get('/api/repo/acme/half')).status).toBe(404);

    githubRoutes = runFiles([
      { name: 'acme_half_run_1.json', body: runIn('half', 1) },
      { name: 'broken.json', body: { target_repo: 'nope' } },
    ]);
    const partial = await post('/api/refresh');
    expect(partial.status).toBe(200);
    expect(partial.body.downloaded).toBe(1);
    expect(partial.body.skipped).toEqual([
      {
        name: 'broken.json',
        errors: expect.arrayContaining([expect.objectContaining({ field: 'target_repo' })]),
      },
    ]);
  });

  it('answers 502 naming GITHUB_TOKEN when GitHub refuses it, without the token anywhere', async () => {
    githubRoutes = [
      (_req, res) => {
        sendJson(res, 401, { message: 'Bad credentials' });
        return true;
      },
    ];
    const refused = await post('/api/refresh');
    expect(refused.status).toBe(502);
    expect(refused.body.code).toBe('outside_auth_refused');
    expect(refused.body.error).toContain('GITHUB_TOKEN');
    expect(JSON.stringify(refused.body)).not.toContain(GITHUB_TOKEN);
    const prs = await post('/api/poll-prs');
    expect(prs.status).toBe(502);
  });

  it("honours GitHub's rate limit: 503 with Retry-After, and no call until the reset", async () => {
    await push(runIn('limited', 1));
    const reset = Math.ceil(Date.now() / 1000) + 2;
    githubRoutes = [
      (_req, res) => {
        sendJson(
          res,
          403,
          { message: 'API rate limit exceeded' },
          { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
        );
        return true;
      },
    ];
    const limited = { ...(await post('/api/poll-prs')), at: Date.now() };
    expect(limited.status).toBe(503);
    expect(limited.body.code).toBe('outside_rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const calls = github.seen.length;
    expect((await post('/api/refresh')).status).toBe(503);
    expect(github.seen.length).toBe(calls);
    // Wait out the reset as announced, so later tests call GitHub again.
    const waitSeconds = Number(limited.headers.get('retry-after'));
    await new Promise((resolve) => setTimeout(resolve, limited.at + waitSeconds * 1000 + 100 - Date.now()));
  });

  it('answers 504 when GitHub does not answer in time, and stores nothing', async () => {
    githubRoutes = [() => true]; // never answers
    const started = Date.now();
    const timedOut = await post('/api/refresh');
    expect(timedOut.status).toBe(504);
    expect(timedOut.body.code).toBe('outside_timeout');
    // Two attempts of 300 ms and a short backoff: well under a second or two.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('polls session statuses (POST /api/poll) and keeps each session history', async () => {
    await push(
      runIn('polled', 1, {
        sessions: [
          {
            session_id: 'devin-poll0001',
            session_url: 'https://app.devin.ai/sessions/poll0001',
            batch_id: 1,
            status: 'created',
            issue_ids: ['CQLF-R1-0001'],
          },
          { session_id: 'dry-run', batch_id: 2, status: 'dry-run', issue_ids: ['CQLF-R1-0002'] },
          { session_id: 'devin-gone0001', batch_id: 3, status: 'created', issue_ids: [] },
        ],
      }),
    );
    sessionRoutes = [
      (req, res) => {
        if (req.url === '/v1/sessions/gone0001') sendJson(res, 404, { detail: 'not found' });
        else if (req.url === '/v1/sessions/poll0001') {
          sendJson(res, 200, {
            status_enum: 'FINISHED',
            structured_output: { pull_request_url: 'https://github.com/acme-bot/polled/pull/3' },
          });
        } else sendJson(res, 200, { status: 'running' });
        return true;
      },
    ];
    const polled = await post('/api/poll');
    expect(polled.status).toBe(200);
    expect(Object.keys(polled.body)).toEqual(['sessions', 'polled', 'not_found']);
    // A session the service no longer knows is skipped and named, not a failed poll.
    expect(polled.body.not_found).toEqual(['devin-gone0001']);
    expect(polled.body.sessions.find((s: any) => s.session_id === 'devin-gone0001').status).toBe('created');
    const mine = polled.body.sessions.find((s: any) => s.session_id === 'devin-poll0001');
    expect(mine).toMatchObject({ status: 'finished', pr_url: 'https://github.com/acme-bot/polled/pull/3' });
    const asked = sessions.seen.find((r) => r.url === '/v1/sessions/poll0001');
    expect(asked?.headers.authorization).toBe(`Bearer ${DEVIN_API_KEY}`);
    expect(sessions.seen.some((r) => r.url.includes('dry-run'))).toBe(false);

    const listed = (await get('/api/sessions?per_page=200')).body.items.find(
      (s: any) => s.session_id === 'devin-poll0001',
    );
    expect(listed).toMatchObject({ status: 'finished', pr_url: 'https://github.com/acme-bot/polled/pull/3' });
    expect((await get('/api/repo/acme/polled')).body.stats.sessions_finished).toBe(1);
    const gql = await graphql(
      app.url,
      '{ fixSessions(repo: "acme/polled", status: "finished") { items { sessionId statusHistory { status source } } } }',
    );
    expect(gql.data.fixSessions.items).toEqual([
      {
        sessionId: 'devin-poll0001',
        statusHistory: [
          { status: 'created', source: 'run' },
          { status: 'finished', source: 'poll' },
        ],
      },
    ]);
  });

  it('changes no status when the session service fails (500, 401)', async () => {
    await push(
      runIn('poll-fails', 1, {
        sessions: [
          { session_id: 'devin-fail0001', batch_id: 1, status: 'created', issue_ids: ['CQLF-R1-0001'] },
        ],
      }),
    );
    sessionRoutes = [
      (req, res) => {
        if (req.url === '/v1/sessions/fail0001') sendJson(res, 500, { detail: 'down' });
        else sendJson(res, 200, { status: 'stopped' });
        return true;
      },
    ];
    const failed = await post('/api/poll');
    expect(failed.status).toBe(502);
    expect(failed.body.code).toBe('outside_unavailable');
    const statuses = (await get('/api/sessions?per_page=200')).body.items.map((s: any) => s.status);
    expect(statuses).not.toContain('stopped');

    sessionRoutes = [
      (_req, res) => {
        sendJson(res, 401, { detail: 'unauthorised' });
        return true;
      },
    ];
    const refused = await post('/api/poll');
    expect(refused.status).toBe(502);
    expect(refused.body.error).toContain('DEVIN_API_KEY');
    expect(JSON.stringify(refused.body)).not.toContain(DEVIN_API_KEY);
  });

  it('lists the fork PRs (POST /api/poll-prs), links them, and backfills the sessions they fix', async () => {
    await push(
      runIn('linked', 1, {
        sessions: [
          { session_id: 'devin-link0001', batch_id: 1, status: 'created', issue_ids: ['CQLF-R1-0001'] },
          { session_id: 'devin-link0002', batch_id: 2, status: 'created', issue_ids: ['CQLF-R1-0002'] },
        ],
      }),
    );
    const pull = (number: number, title: string, body: string, login: string, merged: boolean) => ({
      number,
      title,
      body,
      html_url: `https://github.com/acme-bot/linked/pull/${number}`,
      state: merged ? 'closed' : 'open',
      merged_at: merged ? '2026-05-02T10:00:00Z' : null,
      created_at: '2026-05-01T10:00:00Z',
      user: { login },
    });
    githubRoutes = [
      (req, res) => {
        if (!req.url.startsWith('/repos/acme-bot/linked/pulls?')) return false;
        sendJson(res, 200, [
          pull(
            9,
            'Fix SQL injection',
            'Session https://app.devin.ai/sessions/link0001',
            'devin-ai[bot]',
            true,
          ),
          pull(10, 'fix: logging (CQLF-R1-0002)', '', 'alice', false),
          pull(11, 'Bump deps', 'nothing to see', 'alice', false),
        ]);
        return true;
      },
      (req, res) => {
        // The target repo is private to the token: GitHub answers 404.
        if (!req.url.startsWith('/repos/acme/linked/pulls?')) return false;
        sendJson(res, 404, { message: 'Not Found' });
        return true;
      },
      (req, res) => {
        if (!req.url.startsWith('/repos/')) return false;
        sendJson(res, 200, []);
        return true;
      },
    ];
    const polled = await post('/api/poll-prs');
    expect(polled.status).toBe(200);
    expect(polled.body.not_found).toContain('acme/linked');
    const mine = polled.body.prs.filter((p: any) => p.repo === 'acme-bot/linked');
    expect(mine).toEqual([
      {
        pr_number: 9,
        title: 'Fix SQL injection',
        html_url: 'https://github.com/acme-bot/linked/pull/9',
        state: 'closed',
        merged: true,
        created_at: '2026-05-01T10:00:00Z',
        repo: 'acme-bot/linked',
        issue_ids: [],
        user: 'devin-ai[bot]',
        session_id: 'link0001',
      },
      expect.objectContaining({ pr_number: 10, session_id: '', issue_ids: ['CQLF-R1-0002'], merged: false }),
    ]);
    expect(github.seen.find((r) => r.url.startsWith('/repos/acme-bot/linked/pulls'))?.url).toBe(
      '/repos/acme-bot/linked/pulls?state=all&per_page=100&page=1',
    );

    const detail = (await get('/api/repo/acme/linked')).body;
    expect(detail.stats).toMatchObject({ prs_total: 2, prs_merged: 1, prs_open: 1, fix_rate: 50 });
    expect(detail.sessions.items.map((s: any) => s.pr_url)).toEqual([
      'https://github.com/acme-bot/linked/pull/9',
      'https://github.com/acme-bot/linked/pull/10',
    ]);

    // The run itself still lacks the PR URLs: backfill patches it, once.
    const runSessions = async () =>
      (await get('/api/repo/acme/linked')).body.runs.items[0].sessions.map((s: any) => s.pr_url);
    const backfilled = await post('/api/backfill');
    expect(backfilled.status).toBe(200);
    expect(backfilled.body.patched_files).toBeGreaterThanOrEqual(1);
    expect(await runSessions()).toEqual([
      'https://github.com/acme-bot/linked/pull/9',
      'https://github.com/acme-bot/linked/pull/10',
    ]);
    expect((await post('/api/backfill')).body).toEqual({ patched_files: 0 });
    expect((await get('/api/repo/acme/linked')).body.stats.total_runs).toBe(1);
  });
});

describe('code-scanning outside calls without credentials (embedded)', () => {
  const dataDir = makeDataDir();
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(dataDir);
  });

  afterAll(async () => {
    await app?.stop();
    removeDataDir(dataDir);
  });

  it('answers 400 naming the missing variables, as the old dashboard did, and still takes pushed runs', async () => {
    const post = (path: string) => request(`${app.url}${path}`, { method: 'POST' });
    expect(await post('/api/refresh')).toMatchObject({
      status: 400,
      body: { error: 'GITHUB_TOKEN and ACTION_REPO required' },
    });
    expect(await post('/api/poll')).toMatchObject({ status: 400, body: { error: 'DEVIN_API_KEY required' } });
    expect(await post('/api/poll-prs')).toMatchObject({
      status: 400,
      body: { error: 'GITHUB_TOKEN required' },
    });
    expect((await request(`${app.url}/api/runs`, { body: sample() })).status).toBe(200);
    expect((await post('/api/backfill')).body).toEqual({ patched_files: 0 });
  });
});
