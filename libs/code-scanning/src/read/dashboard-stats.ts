import { fixRate } from '../tracking/fix-rate';

/**
 * `/api/stats` and `/api/repos` of the old dashboard, computed as its code computed them
 * (telemetry/app.py `aggregate_stats` and `_build_repos_dict`, codeql-devin-fixer at cf2be72).
 * Repos are the full target URLs the run files name; timestamps compare as the files wrote them.
 */

export interface StatsRun {
  targetRepo: string;
  forkUrl: string;
  timestamp: string;
  issuesFound: number;
  severityBreakdown: Readonly<Record<string, number>>;
  categoryBreakdown: Readonly<Record<string, number>>;
}

export interface StatsSession {
  sessionId: string;
  status: string;
  prUrl: string;
  targetRepo: string;
}

export interface StatsPullRequest {
  merged: boolean;
  state: string;
  /** `owner/repo` of the fork the PR was listed from. */
  repo: string;
}

export interface DashboardStats {
  repos_scanned: number;
  repo_list: string[];
  total_runs: number;
  total_issues: number;
  latest_issues: number;
  latest_severity: Record<string, number>;
  latest_category: Record<string, number>;
  sessions_created: number;
  sessions_finished: number;
  sessions_with_pr: number;
  prs_total: number;
  prs_merged: number;
  prs_open: number;
  prs_closed: number;
  fix_rate: number;
  severity_breakdown: Record<string, number>;
  category_breakdown: Record<string, number>;
}

function addInto(total: Record<string, number>, counts: Readonly<Record<string, number>>): void {
  for (const [key, n] of Object.entries(counts)) total[key] = (total[key] ?? 0) + n;
}

export function dashboardStats(
  runs: readonly StatsRun[],
  sessions: readonly StatsSession[],
  prs: readonly StatsPullRequest[],
): DashboardStats {
  const repos = new Set<string>();
  const severity: Record<string, number> = {};
  const category: Record<string, number> = {};
  const latestByRepo = new Map<string, StatsRun>();
  let totalIssues = 0;
  for (const run of runs) {
    if (run.targetRepo) repos.add(run.targetRepo);
    totalIssues += run.issuesFound;
    addInto(severity, run.severityBreakdown);
    addInto(category, run.categoryBreakdown);
    if (run.targetRepo) {
      const previous = latestByRepo.get(run.targetRepo);
      // A later timestamp replaces; an equal one keeps the first (the old `>`).
      if (!previous || run.timestamp > previous.timestamp) latestByRepo.set(run.targetRepo, run);
    }
  }
  const latestSeverity: Record<string, number> = {};
  const latestCategory: Record<string, number> = {};
  let latestIssues = 0;
  for (const run of latestByRepo.values()) {
    latestIssues += run.issuesFound;
    addInto(latestSeverity, run.severityBreakdown);
    addInto(latestCategory, run.categoryBreakdown);
  }
  const merged = prs.filter((p) => p.merged).length;
  return {
    repos_scanned: repos.size,
    repo_list: [...repos].sort(),
    total_runs: runs.length,
    total_issues: totalIssues,
    latest_issues: latestIssues,
    latest_severity: latestSeverity,
    latest_category: latestCategory,
    sessions_created: sessions.filter((s) => s.sessionId !== '').length,
    sessions_finished: sessions.filter((s) => s.status === 'finished').length,
    sessions_with_pr: sessions.filter((s) => s.prUrl !== '').length,
    prs_total: prs.length,
    prs_merged: merged,
    prs_open: prs.filter((p) => p.state === 'open').length,
    prs_closed: prs.filter((p) => p.state === 'closed' && !p.merged).length,
    fix_rate: fixRate(merged, prs.length),
    severity_breakdown: severity,
    category_breakdown: category,
  };
}

export interface RepoSummary {
  repo: string;
  fork_url: string;
  runs: number;
  issues_found: number;
  sessions_created: number;
  sessions_finished: number;
  prs_total: number;
  prs_merged: number;
  prs_open: number;
  severity_breakdown: Record<string, number>;
  category_breakdown: Record<string, number>;
  last_run: string;
}

/** `/api/repos`: one summary per target repo, the latest `last_run` first. */
export function repoSummaries(
  runs: readonly StatsRun[],
  sessions: readonly StatsSession[],
  prs: readonly StatsPullRequest[],
): RepoSummary[] {
  const repos = new Map<string, RepoSummary>();
  for (const run of runs) {
    if (!run.targetRepo) continue;
    let summary = repos.get(run.targetRepo);
    if (!summary) {
      summary = {
        repo: run.targetRepo,
        fork_url: run.forkUrl,
        runs: 0,
        issues_found: 0,
        sessions_created: 0,
        sessions_finished: 0,
        prs_total: 0,
        prs_merged: 0,
        prs_open: 0,
        severity_breakdown: {},
        category_breakdown: {},
        last_run: '',
      };
      repos.set(run.targetRepo, summary);
    }
    summary.runs += 1;
    summary.issues_found += run.issuesFound;
    addInto(summary.severity_breakdown, run.severityBreakdown);
    addInto(summary.category_breakdown, run.categoryBreakdown);
    if (run.timestamp > summary.last_run) summary.last_run = run.timestamp;
  }
  for (const session of sessions) {
    const summary = repos.get(session.targetRepo);
    if (!summary) continue;
    summary.sessions_created += 1;
    // Per repo, a stopped session counts as finished (unlike the overall figure).
    if (session.status === 'finished' || session.status === 'stopped') summary.sessions_finished += 1;
  }
  for (const pr of prs) {
    // The first repo (in first-run order) whose fork URL contains the PR's repo.
    const summary = pr.repo ? [...repos.values()].find((r) => r.fork_url.includes(pr.repo)) : undefined;
    if (!summary) continue;
    summary.prs_total += 1;
    if (pr.merged) summary.prs_merged += 1;
    else if (pr.state === 'open') summary.prs_open += 1;
  }
  // Python's sort is stable: equal last_run keeps first-run order.
  return [...repos.values()].sort((a, b) => (a.last_run < b.last_run ? 1 : a.last_run > b.last_run ? -1 : 0));
}

/** The old dashboard's list page: `{items, page, per_page, total, pages}`, pages at least 1. */
export function paginate<T>(items: readonly T[], page: number, perPage: number) {
  const start = (page - 1) * perPage;
  return {
    items: items.slice(start, start + perPage),
    page,
    per_page: perPage,
    total: items.length,
    pages: Math.max(1, Math.ceil(items.length / perPage)),
  };
}
