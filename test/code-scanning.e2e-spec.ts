import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestApp, makeDataDir, removeDataDir, startTestApp } from './helpers/embedded-app';
import { graphql, request } from './helpers/http';

/* eslint-disable @typescript-eslint/no-explicit-any -- tests read arbitrary JSON answers */

const sample = () => JSON.parse(readFileSync(join(__dirname, 'fixtures', 'codescan-run.json'), 'utf8'));

/** The reference's shapes (../shared/reference/codescan-dashboard.md): every key, in this order. */
const ISSUE_KEYS = [
  'fingerprint',
  'rule_id',
  'severity_tier',
  'cwe_family',
  'file',
  'start_line',
  'status',
  'first_seen_run',
  'first_seen_date',
  'last_seen_run',
  'last_seen_date',
  'target_repo',
  'appearances',
  'run_numbers',
  'latest_issue_id',
];
const SESSION_KEYS = [
  'session_id',
  'session_url',
  'batch_id',
  'status',
  'issue_ids',
  'target_repo',
  'fork_url',
  'run_number',
  'run_label',
  'timestamp',
  'pr_url',
];
const STATS_KEYS = [
  'repos_scanned',
  'repo_list',
  'total_runs',
  'total_issues',
  'latest_issues',
  'latest_severity',
  'latest_category',
  'sessions_created',
  'sessions_finished',
  'sessions_with_pr',
  'prs_total',
  'prs_merged',
  'prs_open',
  'prs_closed',
  'fix_rate',
  'severity_breakdown',
  'category_breakdown',
];
const REPO_KEYS = [
  'repo',
  'fork_url',
  'runs',
  'issues_found',
  'sessions_created',
  'sessions_finished',
  'prs_total',
  'prs_merged',
  'prs_open',
  'severity_breakdown',
  'category_breakdown',
  'last_run',
];
const PAGE_KEYS = ['items', 'page', 'per_page', 'total', 'pages'];

const finding = (run: number, index: number, rule: string, file: string, line: number, tier = 'high') => ({
  id: `CQLF-R${run}-${String(index).padStart(4, '0')}`,
  rule_id: rule,
  severity_tier: tier,
  cwe_family: 'injection',
  file,
  start_line: line,
});

/**
 * Issue 13 against the embedded app: runs pushed as the action writes them, tracked across runs,
 * served in the old dashboard's shapes (REST) and through GraphQL. Each test uses its own target
 * repo, so each passes alone and in any order.
 */
describe('code-scanning runs (embedded)', () => {
  const dataDir = makeDataDir();
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(dataDir);
  });

  afterAll(async () => {
    await app?.stop();
    removeDataDir(dataDir);
  });

  const push = (body: unknown) => request(`${app.url}/api/runs`, { body });
  const get = (path: string) => request(`${app.url}${path}`);

  /** The sample, moved to a repo of the test's own. */
  const sampleIn = (repo: string) => ({
    ...sample(),
    target_repo: `https://github.com/acme/${repo}`,
    fork_url: `https://github.com/acme-bot/${repo}`,
  });

  /** A later run of the sample's repo: the SQL injection stays, the logging one is gone, an XSS is new. */
  const laterRun = (repo: string) => ({
    ...sampleIn(repo),
    run_number: 16,
    run_label: 'run-16-2026-03-03-100000',
    timestamp: '2026-03-03T10:00:00+00:00',
    issues_found: 2,
    severity_breakdown: { high: 2 },
    category_breakdown: { injection: 1, xss: 1 },
    sessions: [
      {
        session_id: 'devin-16aa16bb16',
        session_url: 'https://app.devin.ai/sessions/16aa16bb16',
        batch_id: 1,
        status: 'created',
        issue_ids: ['CQLF-R16-0001', 'CQLF-R16-0002'],
      },
    ],
    issue_fingerprints: [
      { ...sample().issue_fingerprints[0], id: 'CQLF-R16-0001' },
      {
        id: 'CQLF-R16-0002',
        fingerprint: '477cc8eed8991b82',
        rule_id: 'js/xss',
        severity_tier: 'high',
        cwe_family: 'xss',
        file: 'web/app.js',
        start_line: 7,
      },
    ],
  });

  it('tracks the sample and a later run: exactly one fixed, one new, the rest recurring (REST and GraphQL)', async () => {
    const first = await push(sampleIn('payments-a'));
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      accepted: true,
      target_repo: 'https://github.com/acme/payments-a',
      run_number: 15,
      run_key: 'n:15',
      findings: 2,
      fingerprints_computed: false,
    });
    expect((await push(laterRun('payments-a'))).status).toBe(200);

    const issues = await get('/api/issues?repo=https://github.com/acme/payments-a');
    expect(issues.status).toBe(200);
    expect(Object.keys(issues.body)).toEqual(PAGE_KEYS);
    expect(issues.body).toMatchObject({ page: 1, per_page: 50, total: 3, pages: 1 });
    for (const item of issues.body.items) expect(Object.keys(item)).toEqual(ISSUE_KEYS);
    // The reference's order: recurring, new, fixed.
    expect(issues.body.items.map((i: any) => [i.rule_id, i.status])).toEqual([
      ['py/sql-injection', 'recurring'],
      ['js/xss', 'new'],
      ['py/clear-text-logging', 'fixed'],
    ]);
    expect(issues.body.items[0]).toEqual({
      fingerprint: '07251e8491445ad1',
      rule_id: 'py/sql-injection',
      severity_tier: 'high',
      cwe_family: 'injection',
      file: 'src/db.py',
      start_line: 88,
      status: 'recurring',
      first_seen_run: 15,
      first_seen_date: '2026-03-02T10:00:00+00:00',
      last_seen_run: 16,
      last_seen_date: '2026-03-03T10:00:00+00:00',
      target_repo: 'https://github.com/acme/payments-a',
      appearances: 2,
      run_numbers: [15, 16],
      latest_issue_id: 'CQLF-R16-0001',
    });
    expect(issues.body.items[2]).toMatchObject({ last_seen_run: 15, appearances: 1, run_numbers: [15] });
    // `owner/repo` names the same repo.
    expect((await get('/api/issues?repo=acme/payments-a')).body).toEqual(issues.body);

    const answer = await graphql(
      app.url,
      `
        {
          scanIssues(repo: "acme/payments-a") {
            totalCount
            items {
              ruleId
              status
              appearances
              runNumbers
              history {
                runNumber
                issueId
                startLine
              }
            }
          }
          fixed: scanIssues(repo: "acme/payments-a", status: "fixed") {
            totalCount
            items {
              ruleId
            }
          }
        }
      `,
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data.scanIssues.totalCount).toBe(3);
    expect(answer.data.scanIssues.items.map((i: any) => [i.ruleId, i.status])).toEqual([
      ['py/sql-injection', 'recurring'],
      ['js/xss', 'new'],
      ['py/clear-text-logging', 'fixed'],
    ]);
    expect(answer.data.scanIssues.items[0].history).toEqual([
      { runNumber: 15, issueId: 'CQLF-R15-0001', startLine: 88 },
      { runNumber: 16, issueId: 'CQLF-R16-0001', startLine: 88 },
    ]);
    expect(answer.data.fixed).toEqual({ totalCount: 1, items: [{ ruleId: 'py/clear-text-logging' }] });
  });

  it('counts a resend once, and lets a corrected resend replace the run', async () => {
    await push(sampleIn('payments-b'));
    await push(laterRun('payments-b'));
    await push(laterRun('payments-b'));
    const repo = async () => (await get('/api/repo/acme/payments-b')).body;
    expect((await repo()).stats).toMatchObject({ total_runs: 2, total_issues: 4 });
    expect((await repo()).issues.total).toBe(3);

    // The action corrects run 16: the XSS was a false positive.
    const corrected = laterRun('payments-b');
    corrected.issue_fingerprints = corrected.issue_fingerprints.slice(0, 1);
    corrected.issues_found = 1;
    expect((await push(corrected)).status).toBe(200);
    const after = await repo();
    expect(after.stats).toMatchObject({ total_runs: 2, total_issues: 3 });
    expect(after.issues.items.map((i: any) => [i.rule_id, i.status])).toEqual([
      ['py/sql-injection', 'recurring'],
      ['py/clear-text-logging', 'fixed'],
    ]);
  });

  it('identifies a run by its run_id where the file has one', async () => {
    const run = {
      ...sampleIn('payments-c'),
      run_id: 9_001,
      run_url: 'https://github.com/acme/fixer/actions/runs/9001',
    };
    expect((await push(run)).body.run_key).toBe('id:9001');
    // The same run id with a corrected run number is the same run.
    expect((await push({ ...run, run_number: 17 })).status).toBe(200);
    const runs = (await get('/api/repo/acme/payments-c')).body.runs;
    expect(runs.total).toBe(1);
    expect(runs.items[0]).toMatchObject({ run_number: 17, run_id: '9001', run_url: run.run_url });
  });

  it('fingerprints an older file without them as the action would, and tracks it with newer ones', async () => {
    const older = sampleIn('payments-d');
    for (const f of older.issue_fingerprints) delete f.fingerprint;
    const accepted = await push(older);
    expect(accepted.body).toMatchObject({ fingerprints_computed: true, findings: 2 });
    await push(laterRun('payments-d'));
    const issues = (await get('/api/issues?repo=acme/payments-d')).body.items;
    expect(issues.map((i: any) => [i.fingerprint, i.status])).toEqual([
      ['07251e8491445ad1', 'recurring'],
      ['477cc8eed8991b82', 'new'],
      ['a2e8b9bc365f42d0', 'fixed'],
    ]);
    // /api/runs shows the file with the fingerprints the hub computed.
    const run15 = (await get('/api/repo/acme/payments-d')).body.runs.items.find(
      (r: any) => r.run_number === 15,
    );
    expect(run15.issue_fingerprints.map((f: any) => f.fingerprint)).toEqual([
      '07251e8491445ad1',
      'a2e8b9bc365f42d0',
    ]);
  });

  it('gives runs pushed out of order the answer of runs pushed in order', async () => {
    const runOf = (repo: string, n: number, findings: ReturnType<typeof finding>[]) => ({
      ...sampleIn(repo),
      run_number: n,
      run_label: `run-${n}`,
      timestamp: `2026-04-0${n}T08:00:00+00:00`,
      issues_found: findings.length,
      sessions: [],
      issue_fingerprints: findings,
    });
    const series = (repo: string) => [
      runOf(repo, 1, [finding(1, 1, 'py/a', 'a.py', 1), finding(1, 2, 'py/b', 'b.py', 2)]),
      runOf(repo, 2, [finding(2, 1, 'py/a', 'a.py', 1)]),
      runOf(repo, 3, [finding(3, 1, 'py/a', 'a.py', 1), finding(3, 2, 'py/b', 'b.py', 2)]),
    ];
    for (const run of series('order-in')) await push(run);
    const [one, two, three] = series('order-out');
    for (const run of [three, one, two]) await push(run);
    const strip = (items: any[]) => items.map(({ target_repo: _repo, ...rest }) => rest);
    const inOrder = (await get('/api/issues?repo=acme/order-in')).body.items;
    expect(strip((await get('/api/issues?repo=acme/order-out')).body.items)).toEqual(strip(inOrder));
    // py/b was fixed in run 2 and came back in run 3: new again, its history kept.
    expect(inOrder.map((i: any) => [i.rule_id, i.status, i.run_numbers])).toEqual([
      ['py/a', 'recurring', [1, 2, 3]],
      ['py/b', 'new', [1, 3]],
    ]);
  });

  it('tracks two repos apart, even with the same file and finding', async () => {
    await push(sampleIn('twin-1'));
    await push(sampleIn('twin-2'));
    await push(laterRun('twin-2'));
    const statuses = async (repo: string) =>
      (await get(`/api/issues?repo=acme/${repo}`)).body.items.map((i: any) => [i.rule_id, i.status]);
    expect(await statuses('twin-1')).toEqual([
      ['py/sql-injection', 'new'],
      ['py/clear-text-logging', 'new'],
    ]);
    expect(await statuses('twin-2')).toEqual([
      ['py/sql-injection', 'recurring'],
      ['js/xss', 'new'],
      ['py/clear-text-logging', 'fixed'],
    ]);
  });

  it('serves /api/stats, /api/runs, /api/sessions, /api/prs and /api/repos in the reference shapes', async () => {
    await push(sampleIn('shapes'));
    await push(laterRun('shapes'));

    const stats = await get('/api/stats');
    expect(stats.status).toBe(200);
    expect(Object.keys(stats.body)).toEqual([...STATS_KEYS, 'findings_fixed_rate']);
    expect(stats.body.repo_list).toContain('https://github.com/acme/shapes');
    expect(stats.body.fix_rate).toBe(0);

    const runs = await get('/api/runs?per_page=2');
    expect(Object.keys(runs.body)).toEqual(PAGE_KEYS);
    expect(runs.body).toMatchObject({ page: 1, per_page: 2 });
    expect(runs.body.items).toHaveLength(2);
    const ordered = (await get('/api/runs?per_page=200')).body.items.map((r: any) => r.run_number);
    expect(ordered).toEqual([...ordered].sort((a: number, b: number) => b - a));
    const shapesRun = (await get('/api/repo/acme/shapes')).body.runs.items[1];
    expect(shapesRun).toEqual({ ...sampleIn('shapes'), sessions: [{ ...sample().sessions[0], pr_url: '' }] });

    const sessions = await get('/api/sessions?per_page=200');
    expect(Object.keys(sessions.body)).toEqual(PAGE_KEYS);
    const session = sessions.body.items.find(
      (s: any) => s.target_repo === 'https://github.com/acme/shapes' && s.run_number === 15,
    );
    expect(Object.keys(session)).toEqual(SESSION_KEYS);
    expect(session).toEqual({
      session_id: 'devin-8f2a9c0d1e',
      session_url: 'https://app.devin.ai/sessions/8f2a9c0d1e',
      batch_id: 1,
      status: 'created',
      issue_ids: ['CQLF-R15-0001'],
      target_repo: 'https://github.com/acme/shapes',
      fork_url: 'https://github.com/acme-bot/shapes',
      run_number: 15,
      run_label: 'run-15-2026-03-02-100000',
      timestamp: '2026-03-02T10:00:00+00:00',
      pr_url: '',
    });

    const prs = await get('/api/prs');
    expect(prs.body).toEqual({ items: [], page: 1, per_page: 50, total: 0, pages: 1 });

    const repos = await get('/api/repos');
    const shapes = repos.body.find((r: any) => r.repo === 'https://github.com/acme/shapes');
    expect(Object.keys(shapes)).toEqual([...REPO_KEYS, 'findings_fixed_rate']);
    expect(shapes).toEqual({
      repo: 'https://github.com/acme/shapes',
      fork_url: 'https://github.com/acme-bot/shapes',
      runs: 2,
      issues_found: 4,
      sessions_created: 2,
      sessions_finished: 0,
      prs_total: 0,
      prs_merged: 0,
      prs_open: 0,
      severity_breakdown: { high: 3, medium: 1 },
      category_breakdown: { injection: 2, logging: 1, xss: 1 },
      last_run: '2026-03-03T10:00:00+00:00',
      // One of the three findings ever seen is fixed.
      findings_fixed_rate: 33.3,
    });

    const detail = await get('/api/repo/acme/shapes?per_page=1');
    expect(Object.keys(detail.body)).toEqual(['stats', 'runs', 'sessions', 'prs', 'issues']);
    expect(detail.body.stats).toEqual({
      total_runs: 2,
      total_issues: 4,
      sessions_created: 2,
      sessions_finished: 0,
      prs_total: 0,
      prs_merged: 0,
      prs_open: 0,
      prs_closed: 0,
      fix_rate: 0,
      findings_fixed_rate: 33.3,
      severity_breakdown: { high: 3, medium: 1 },
      category_breakdown: { injection: 2, logging: 1, xss: 1 },
    });
    for (const list of ['runs', 'sessions', 'prs', 'issues'])
      expect(Object.keys(detail.body[list])).toEqual(PAGE_KEYS);
    expect(detail.body.issues).toMatchObject({ per_page: 1, total: 3, pages: 3 });

    const gql = await graphql(
      app.url,
      `
        {
          scanStats {
            totalRuns
            reposScanned
            fixRate
            findingsFixedRate
          }
          repoSummaries {
            repo
            runs
            findingsFixedRate
          }
          scanRuns(repo: "acme/shapes") {
            totalCount
            items {
              runNumber
              issuesFound
            }
          }
          fixSessions(repo: "acme/shapes") {
            totalCount
            items {
              sessionId
              status
              statusHistory {
                status
                source
              }
            }
          }
          pullRequests(repo: "acme/shapes") {
            totalCount
          }
        }
      `,
    );
    expect(gql.errors).toBeUndefined();
    expect(gql.data.scanStats).toMatchObject({ totalRuns: stats.body.total_runs, fixRate: 0 });
    expect(gql.data.repoSummaries.find((r: any) => r.repo.endsWith('/shapes'))).toEqual({
      repo: 'https://github.com/acme/shapes',
      runs: 2,
      findingsFixedRate: 33.3,
    });
    expect(gql.data.scanRuns).toEqual({
      totalCount: 2,
      items: [
        { runNumber: 16, issuesFound: 2 },
        { runNumber: 15, issuesFound: 2 },
      ],
    });
    expect(gql.data.fixSessions.items[0]).toEqual({
      sessionId: 'devin-8f2a9c0d1e',
      status: 'created',
      statusHistory: [{ status: 'created', source: 'run' }],
    });
    expect(gql.data.pullRequests.totalCount).toBe(0);
  });

  it('pages as the old dashboard did: 50 by default, at most 200, page at least 1', async () => {
    expect((await get('/api/runs?per_page=5000&page=0')).body).toMatchObject({ page: 1, per_page: 200 });
    const bad = await get('/api/runs?page=two');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      error: 'invalid request: page must be an integer',
      code: 'validation_failed',
    });
    expect((await get('/api/repo/acme/never-scanned')).status).toBe(404);
  });

  it('names every bad field of a run file, in the old {"error": ...} body', async () => {
    const bad = { ...sample(), target_repo: 'acme/payments', run_number: 0, timestamp: 'yesterday' };
    const answer = await push(bad);
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('validation_failed');
    expect(answer.body.error).toContain('target_repo must be a https://github.com/<owner>/<repo> URL');
    expect(answer.body.errors.map((e: any) => e.field).sort()).toEqual([
      'run_number',
      'target_repo',
      'timestamp',
    ]);
    const badTime = await push({ ...sample(), timestamp: 'the day before yesterday' });
    expect(badTime.status).toBe(400);
    expect(badTime.body.errors).toEqual([
      { field: 'timestamp', message: 'must be an ISO-8601 date-time such as 2026-03-02T10:00:00+00:00' },
    ]);
    // Nothing of a refused run is stored.
    expect((await get('/api/issues?repo=acme/payments')).body.total).toBe(0);
  });
});
