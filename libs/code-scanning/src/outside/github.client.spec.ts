import { BadRequestError } from '@th/platform';
import { type GitHubClientOptions, GitHubClient } from './github.client';
import { OutsideAuthError, OutsideBadAnswerError } from './outside-errors';
import { StandInServer, type StandInHandler, sendJson } from '../testing/stand-in-server';

const TOKEN = 'ghp_s3cr3t';

function pull(number: number): Record<string, unknown> {
  return {
    number,
    title: `Fix CQLF-R15-${String(number).padStart(4, '0')}`,
    body: null,
    html_url: `https://github.com/o/r/pull/${number}`,
    state: 'closed',
    merged_at: '2025-05-01T10:00:00Z',
    created_at: '2025-04-30T10:00:00Z',
    user: { login: 'devin-ai-integration[bot]' },
    labels: [],
  };
}

function runFile(name: string, type = 'file'): Record<string, unknown> {
  return { name, type, size: 1234, sha: `sha-${name}`, download_url: `https://raw.example/${name}` };
}

describe('GitHubClient', () => {
  const servers: StandInServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  async function standIn(handler: StandInHandler): Promise<StandInServer> {
    const server = await StandInServer.start(handler);
    servers.push(server);
    return server;
  }

  function github(apiUrl: string, overrides: Partial<GitHubClientOptions> = {}): GitHubClient {
    return new GitHubClient({
      token: TOKEN,
      apiUrl,
      timeoutMs: 2_000,
      retries: 1,
      retryBaseMs: 5,
      ...overrides,
    });
  }

  function pageOf(url: string): number {
    return Number(new URL(url, 'http://x').searchParams.get('page'));
  }

  it("lists pulls page by page while pages are full, with the old dashboard's headers", async () => {
    const all = Array.from({ length: 103 }, (_, i) => pull(i + 1));
    const api = await standIn((req, res) => {
      const page = pageOf(req.url);
      sendJson(res, 200, all.slice((page - 1) * 100, page * 100));
    });
    const pulls = await github(api.origin).listPulls('o/r');
    expect(pulls).toHaveLength(103);
    expect(api.seen.map((r) => r.url)).toEqual([
      '/repos/o/r/pulls?state=all&per_page=100&page=1',
      '/repos/o/r/pulls?state=all&per_page=100&page=2',
    ]);
    expect(api.seen[0].headers).toMatchObject({
      authorization: `token ${TOKEN}`,
      accept: 'application/vnd.github+json',
      'user-agent': 'telemetry-hub',
    });
    expect(pulls[0]).toEqual({
      number: 1,
      title: 'Fix CQLF-R15-0001',
      body: null,
      html_url: 'https://github.com/o/r/pull/1',
      state: 'closed',
      merged_at: '2025-05-01T10:00:00Z',
      created_at: '2025-04-30T10:00:00Z',
      user_login: 'devin-ai-integration[bot]',
    });
  });

  it('stops on an empty page and keeps the API URL path prefix', async () => {
    const api = await standIn((req, res) =>
      sendJson(res, 200, pageOf(req.url) === 1 ? Array.from({ length: 100 }, (_, i) => pull(i + 1)) : []),
    );
    const pulls = await github(`${api.origin}/api/v3/`).listPulls('o/r');
    expect(pulls).toHaveLength(100);
    expect(api.seen.map((r) => r.url)).toEqual([
      '/api/v3/repos/o/r/pulls?state=all&per_page=100&page=1',
      '/api/v3/repos/o/r/pulls?state=all&per_page=100&page=2',
    ]);
  });

  it("gives '' for the login of a pull without a user, and the defaults of missing optional fields", async () => {
    const api = await standIn((_req, res) =>
      sendJson(res, 200, [
        { number: 7, html_url: 'https://github.com/o/r/pull/7', state: 'open', user: null },
      ]),
    );
    expect(await github(api.origin).listPulls('o/r')).toEqual([
      {
        number: 7,
        title: '',
        body: null,
        html_url: 'https://github.com/o/r/pull/7',
        state: 'open',
        merged_at: null,
        created_at: '',
        user_login: '',
      },
    ]);
  });

  it('refuses a page that is not an array, or a pull without its required fields', async () => {
    const api = await standIn((req, res) =>
      req.url.includes('/repos/o/object/')
        ? sendJson(res, 200, { message: 'hi' })
        : sendJson(res, 200, [pull(1), { ...pull(2), html_url: undefined }]),
    );
    const notArray = github(api.origin).listPulls('o/object');
    await expect(notArray).rejects.toBeInstanceOf(OutsideBadAnswerError);
    await expect(notArray).rejects.toThrow('sent a page of /repos/o/object/pulls that is not a JSON array');
    await expect(github(api.origin).listPulls('o/r')).rejects.toThrow('has an item 1 that has no html_url');
  });

  it('refuses a repository that is not owner/repo, without calling GitHub', async () => {
    const api = await standIn((_req, res) => sendJson(res, 200, []));
    for (const repo of ['../x', 'o/..', 'o', 'o/r/x', 'o/r?x']) {
      await expect(github(api.origin).listPulls(repo)).rejects.toBeInstanceOf(BadRequestError);
    }
    expect(api.seen).toHaveLength(0);
  });

  it('lists the .json run files, skipping other files and directories, page by page', async () => {
    const first = [
      ...Array.from({ length: 97 }, (_, i) => runFile(`run-${i}.json`)),
      runFile('README.md'),
      runFile('old.json', 'dir'),
      { name: 'untyped.json', size: 1, sha: 's', download_url: 'https://raw.example/untyped.json' },
    ];
    const api = await standIn((req, res) =>
      sendJson(res, 200, pageOf(req.url) === 1 ? first : [runFile('last.json'), runFile('notes.txt')]),
    );
    const files = await github(api.origin).listRunFiles('acme/action');
    expect(api.seen.map((r) => r.url)).toEqual([
      '/repos/acme/action/contents/telemetry/runs?per_page=100&page=1',
      '/repos/acme/action/contents/telemetry/runs?per_page=100&page=2',
    ]);
    expect(files.map((f) => f.name)).toEqual([
      ...Array.from({ length: 97 }, (_, i) => `run-${i}.json`),
      'untyped.json',
      'last.json',
    ]);
    expect(files[0]).toEqual({
      name: 'run-0.json',
      size: 1234,
      sha: 'sha-run-0.json',
      download_url: 'https://raw.example/run-0.json',
    });
  });

  it('stops when a full page brings nothing new (the contents API answers every page alike)', async () => {
    const directory = Array.from({ length: 100 }, (_, i) => runFile(`run-${i}.json`));
    const api = await standIn((_req, res) => sendJson(res, 200, directory));
    expect(await github(api.origin).listRunFiles('acme/action')).toHaveLength(100);
    expect(api.seen).toHaveLength(2);
  });

  it('downloads JSON with the token from the API origin', async () => {
    const api = await standIn((_req, res) => sendJson(res, 200, { run_id: 'r1' }));
    expect(await github(api.origin).downloadJson(`${api.origin}/raw/run.json?token=x`)).toEqual({
      run_id: 'r1',
    });
    expect(api.seen[0].headers.authorization).toBe(`token ${TOKEN}`);
  });

  it('never sends the token to another origin, nor across a redirect to one', async () => {
    const elsewhere = await standIn((_req, res) => sendJson(res, 200, { run_id: 'r2' }));
    const api = await standIn((_req, res) => {
      res.writeHead(302, { Location: `${elsewhere.origin}/redirected.json` });
      res.end();
    });
    const client = github(api.origin);
    expect(await client.downloadJson(`${elsewhere.origin}/run.json`)).toEqual({ run_id: 'r2' });
    expect(await client.downloadJson(`${api.origin}/moved.json`)).toEqual({ run_id: 'r2' });
    expect(api.seen[0].headers.authorization).toBe(`token ${TOKEN}`);
    expect(elsewhere.seen.map((r) => r.url)).toEqual(['/run.json', '/redirected.json']);
    for (const request of elsewhere.seen) expect(request.headers.authorization).toBeUndefined();
  });

  it('refuses a download URL that is not http(s), without calling', async () => {
    await expect(github('https://api.github.com').downloadJson('file:///etc/passwd')).rejects.toBeInstanceOf(
      OutsideBadAnswerError,
    );
  });

  it('reports refused credentials without the token', async () => {
    const api = await standIn((_req, res) => sendJson(res, 401, { message: 'Bad credentials' }));
    const error = await github(api.origin)
      .listPulls('o/r')
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(OutsideAuthError);
    expect((error as Error).message).toBe('GitHub refused the credentials (401): check GITHUB_TOKEN');
    expect(JSON.stringify(error)).not.toContain(TOKEN);
  });

  it('calls without an Authorization header when no token is set', async () => {
    const api = await standIn((_req, res) => sendJson(res, 200, []));
    await github(api.origin, { token: '' }).listPulls('o/r');
    expect(api.seen[0].headers.authorization).toBeUndefined();
  });
});
