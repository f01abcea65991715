import { dashboardStats, paginate, repoSummaries } from './dashboard-stats';

const A = 'https://github.com/acme/payments';
const B = 'https://github.com/acme/web';
const run = (targetRepo: string, timestamp: string, issuesFound: number, high: number) => ({
  targetRepo,
  forkUrl: targetRepo.replace('acme/', 'acme-bot/'),
  timestamp,
  issuesFound,
  severityBreakdown: { high, medium: issuesFound - high },
  categoryBreakdown: { injection: issuesFound },
});
const runs = [
  run(A, '2026-03-02T10:00:00+00:00', 2, 1),
  run(A, '2026-03-03T10:00:00+00:00', 3, 2),
  run(B, '2026-03-01T10:00:00+00:00', 1, 0),
];
const sessions = [
  {
    sessionId: 'devin-1',
    status: 'finished',
    prUrl: 'https://github.com/acme-bot/payments/pull/1',
    targetRepo: A,
  },
  { sessionId: 'devin-2', status: 'stopped', prUrl: '', targetRepo: A },
  { sessionId: 'devin-3', status: 'running', prUrl: '', targetRepo: B },
];
const prs = [
  { merged: true, state: 'closed', repo: 'acme-bot/payments' },
  { merged: false, state: 'open', repo: 'acme-bot/payments' },
  { merged: false, state: 'closed', repo: 'acme-bot/web' },
];

describe("the old dashboard's figures", () => {
  it('/api/stats: totals over every run, latest figures over each repo latest run', () => {
    expect(dashboardStats(runs, sessions, prs)).toEqual({
      repos_scanned: 2,
      repo_list: [A, B],
      total_runs: 3,
      total_issues: 6,
      latest_issues: 4,
      latest_severity: { high: 2, medium: 2 },
      latest_category: { injection: 4 },
      sessions_created: 3,
      sessions_finished: 1,
      sessions_with_pr: 1,
      prs_total: 3,
      prs_merged: 1,
      prs_open: 1,
      prs_closed: 1,
      fix_rate: 33.3,
      severity_breakdown: { high: 3, medium: 3 },
      category_breakdown: { injection: 6 },
    });
  });

  it('/api/repos: per repo, a stopped session counted as finished, PRs by fork, latest run first', () => {
    const repos = repoSummaries(runs, sessions, prs);
    expect(
      repos.map((r) => [
        r.repo,
        r.runs,
        r.issues_found,
        r.sessions_finished,
        r.prs_total,
        r.prs_merged,
        r.prs_open,
        r.last_run,
      ]),
    ).toEqual([
      [A, 2, 5, 2, 2, 1, 1, '2026-03-03T10:00:00+00:00'],
      [B, 1, 1, 0, 1, 0, 0, '2026-03-01T10:00:00+00:00'],
    ]);
  });

  it('pages as the old list pages did, with at least one page', () => {
    expect(paginate([1, 2, 3], 2, 2)).toEqual({ items: [3], page: 2, per_page: 2, total: 3, pages: 2 });
    expect(paginate([], 1, 50)).toEqual({ items: [], page: 1, per_page: 50, total: 0, pages: 1 });
  });
});
