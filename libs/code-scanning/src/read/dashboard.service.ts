import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@th/platform';
import { findingsFixedRate, fixRate } from '../tracking/fix-rate';
import { CodescanRepository, type StoredRun, runIdentity } from './codescan.repository';
import {
  type DashboardStats,
  type RepoSummary,
  dashboardStats,
  paginate,
  repoSummaries,
} from './dashboard-stats';
import {
  type IssueItem,
  type PullRequestItem,
  type RunItem,
  type SessionItem,
  type SessionView,
  type TrackedIssues,
  findingsFixedRateOf,
  pullRequestItems,
  runItem,
  sessionViews,
  statsInputs,
  trackedIssues,
} from './dashboard-views';

/** A list page of the old dashboard: `{items, page, per_page, total, pages}`. */
export type DashboardPage<T> = ReturnType<typeof paginate<T>>;

export interface PageParams {
  page: number;
  perPage: number;
}

/** What every view is built from: the runs, their sessions as polled, the linked PRs. */
interface Snapshot {
  runs: StoredRun[];
  sessions: SessionView[];
  prs: PullRequestItem[];
}

export type ScanStats = DashboardStats & { findings_fixed_rate: number };
export type ScanRepoSummary = RepoSummary & { findings_fixed_rate: number };

export interface RepoDetail {
  /** The old repo page's figures (those of /api/stats over one repo), and ours. */
  stats: Pick<
    DashboardStats,
    | 'total_runs'
    | 'total_issues'
    | 'sessions_created'
    | 'sessions_finished'
    | 'prs_total'
    | 'prs_merged'
    | 'prs_open'
    | 'prs_closed'
    | 'fix_rate'
    | 'severity_breakdown'
    | 'category_breakdown'
  > & { findings_fixed_rate: number };
  runs: DashboardPage<RunItem>;
  sessions: DashboardPage<SessionItem>;
  prs: DashboardPage<PullRequestItem>;
  issues: DashboardPage<IssueItem>;
}

/** `owner/repo` of a repo given as `owner/repo` or as its `https://github.com/...` URL. */
export function repoSlugOf(repo: string): string {
  return repo
    .trim()
    .replace(/^https:\/\/github\.com\//, '')
    .replace(/\/+$/, '');
}

/**
 * The old rule: a repo's PRs are those listed from a repo its fork URL contains (the fork URL of
 * its first run).
 */
function prsOfRepo(runs: readonly StoredRun[], repo: string, listedFrom: string): boolean {
  const forkUrl = runs.find((r) => r.targetRepo === repo)?.forkUrl ?? '';
  return forkUrl !== '' && forkUrl.includes(listedFrom);
}

/**
 * The dashboard's answers (REST and GraphQL), computed from the store at read time: statuses,
 * links and rates are never stored, so a resent, corrected or late run changes them at once.
 */
/** Fixed findings and findings ever seen, of one repo. */
interface FixedCount {
  fixed: number;
  seen: number;
}

/** Repos whose runs are tracked in one read when their counts are stale. */
const REPOS_PER_READ = 10;

@Injectable()
export class DashboardService {
  /**
   * Each repo's fixed and seen findings with the state token they were counted at: the overall
   * and per-repo `findings_fixed_rate` track only the repos whose runs changed since.
   */
  private readonly fixedCounts = new Map<string, FixedCount & { token: string }>();

  constructor(private readonly repository: CodescanRepository) {}

  /** Fixed and seen findings per repo (`owner/repo`), recounted where a run changed. */
  private async fixedCountsByRepo(): Promise<Map<string, FixedCount>> {
    const tokens = await this.repository.repoStateTokens();
    for (const repo of this.fixedCounts.keys()) if (!tokens.has(repo)) this.fixedCounts.delete(repo);
    const stale = [...tokens].filter(([repo, token]) => this.fixedCounts.get(repo)?.token !== token);
    for (let start = 0; start < stale.length; start += REPOS_PER_READ) {
      const group = stale.slice(start, start + REPOS_PER_READ);
      const runs = await this.repository.runsWithFindings(group.map(([repo]) => repo));
      for (const [repo, token] of group) {
        const { items } = trackedIssues(runs.filter((run) => run.targetRepo === repo));
        const fixed = items.filter((item) => item.status === 'fixed').length;
        this.fixedCounts.set(repo, { token, fixed, seen: items.length });
      }
    }
    return this.fixedCounts;
  }

  private async snapshot(): Promise<Snapshot> {
    const [runs, statuses, storedPrs] = await Promise.all([
      this.repository.runs(),
      this.repository.sessionStatuses(),
      this.repository.pullRequests(),
    ]);
    const prs = pullRequestItems(storedPrs, runs);
    return { runs, sessions: sessionViews(runs, statuses, prs), prs };
  }

  async stats(): Promise<ScanStats> {
    const [snapshot, counts] = await Promise.all([this.snapshot(), this.fixedCountsByRepo()]);
    const inputs = statsInputs(
      snapshot.runs,
      snapshot.sessions.map((s) => s.item),
      snapshot.prs,
    );
    const all = [...counts.values()];
    return {
      ...dashboardStats(inputs.runs, inputs.sessions, inputs.prs),
      findings_fixed_rate: findingsFixedRate(
        all.reduce((sum, c) => sum + c.fixed, 0),
        all.reduce((sum, c) => sum + c.seen, 0),
      ),
    };
  }

  async repos(): Promise<ScanRepoSummary[]> {
    const [snapshot, counts] = await Promise.all([this.snapshot(), this.fixedCountsByRepo()]);
    const inputs = statsInputs(
      snapshot.runs,
      snapshot.sessions.map((s) => s.item),
      snapshot.prs,
    );
    return repoSummaries(inputs.runs, inputs.sessions, inputs.prs).map((summary) => {
      const count = counts.get(repoSlugOf(summary.repo));
      return { ...summary, findings_fixed_rate: findingsFixedRate(count?.fixed ?? 0, count?.seen ?? 0) };
    });
  }

  /** Runs, newest run number first (ties keep the load order, as Python's stable sort did). */
  async runs(page: PageParams, repo?: string): Promise<DashboardPage<RunItem>> {
    const snapshot = await this.snapshot();
    const runs = repo === undefined ? snapshot.runs : snapshot.runs.filter((r) => r.targetRepo === repo);
    const ordered = [...runs].sort((a, b) => b.runNumber - a.runNumber);
    const listed = paginate(ordered, page.page, page.perPage);
    const findings = await this.findingsOf(listed.items);
    const bySession = new Map(snapshot.sessions.map((s) => [s.item.session_id, s.item]));
    return { ...listed, items: listed.items.map((run, i) => runItem(run, bySession, findings[i])) };
  }

  async sessions(repo?: string): Promise<SessionView[]> {
    const { sessions } = await this.snapshot();
    return repo === undefined ? sessions : sessions.filter((s) => repoSlugOf(s.item.target_repo) === repo);
  }

  /** One repo's runs (or every run), without findings. */
  storedRuns(repo?: string): Promise<StoredRun[]> {
    return this.repository.runs(repo);
  }

  /** The linked fix PRs; of one target repo, those listed from a repo its fork URL names. */
  async pullRequests(repo?: string): Promise<PullRequestItem[]> {
    const { prs, runs } = await this.snapshot();
    if (repo === undefined) return prs;
    return prs.filter((p) => p.repo !== '' && prsOfRepo(runs, repo, p.repo));
  }

  /** Every tracked finding (of one repo, `owner/repo`), in the reference's order. */
  async issues(repo?: string): Promise<TrackedIssues> {
    return trackedIssues(await this.repository.runsWithFindings(repo));
  }

  /** `/api/repo/<owner>/<repo>`: 404 when no run of that repo is stored. */
  async repoDetail(repo: string, page: PageParams): Promise<RepoDetail> {
    const [snapshot, issues] = await Promise.all([this.snapshot(), this.issues(repo)]);
    const runs = snapshot.runs.filter((r) => r.targetRepo === repo);
    if (runs.length === 0) throw new NotFoundError(`no run of ${repo} is stored`);
    const sessions = snapshot.sessions.map((s) => s.item).filter((s) => repoSlugOf(s.target_repo) === repo);
    const prs = snapshot.prs.filter((p) => p.repo !== '' && prsOfRepo(runs, repo, p.repo));
    const merged = prs.filter((p) => p.merged).length;
    const inputs = statsInputs(runs, sessions, prs);
    const summary = dashboardStats(inputs.runs, inputs.sessions, inputs.prs);
    const ordered = [...runs].sort((a, b) => b.runNumber - a.runNumber);
    const listed = paginate(ordered, page.page, page.perPage);
    const findings = await this.findingsOf(listed.items);
    const bySession = new Map(snapshot.sessions.map((s) => [s.item.session_id, s.item]));
    return {
      stats: {
        total_runs: runs.length,
        total_issues: summary.total_issues,
        sessions_created: sessions.filter((s) => s.session_id !== '').length,
        sessions_finished: sessions.filter((s) => s.status === 'finished' || s.status === 'stopped').length,
        prs_total: prs.length,
        prs_merged: merged,
        prs_open: prs.filter((p) => p.state === 'open').length,
        prs_closed: prs.filter((p) => p.state === 'closed' && !p.merged).length,
        fix_rate: fixRate(merged, prs.length),
        findings_fixed_rate: findingsFixedRateOf(issues.items),
        severity_breakdown: summary.severity_breakdown,
        category_breakdown: summary.category_breakdown,
      },
      runs: { ...listed, items: listed.items.map((run, i) => runItem(run, bySession, findings[i])) },
      sessions: paginate(sessions, page.page, page.perPage),
      prs: paginate(prs, page.page, page.perPage),
      issues: paginate(issues.items, page.page, page.perPage),
    };
  }

  /** The findings of the listed runs (a page is small; the lists never load every finding). */
  private async findingsOf(runs: readonly StoredRun[]) {
    const found = await this.repository.findingsOfRuns(runs);
    return runs.map((run) => found.get(runIdentity(run.targetRepo, run.runKey)) ?? []);
  }
}
