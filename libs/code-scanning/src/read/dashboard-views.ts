import { compareTrackedFindings, type TrackedFinding, trackRepos } from '../tracking/cross-run-status';
import { findingsFixedRate } from '../tracking/fix-rate';
import { linkPullRequest, matchableSessionId, sessionPrUrls } from '../tracking/pr-links';
import type {
  StoredPullRequest,
  StoredRun,
  StoredRunWithFindings,
  StoredSessionStatus,
} from './codescan.repository';
import type { StatsPullRequest, StatsRun, StatsSession } from './dashboard-stats';

/**
 * The old dashboard's item shapes (telemetry/app.py at cf2be72), built from the stored runs,
 * polled statuses and listed PRs. Field names and defaults are the old ones: scripts read them.
 */

/** A session item of `/api/sessions`. */
export interface SessionItem {
  session_id: string;
  session_url: string;
  batch_id: number | string | null;
  status: string;
  issue_ids: string[];
  target_repo: string;
  fork_url: string;
  run_number: number;
  run_label: string;
  timestamp: string;
  pr_url: string;
}

/** One entry of a session's status history: the run file's status, then each change polled. */
export interface SessionStatusChange {
  status: string;
  /** ISO-8601 UTC: the run's timestamp for the first entry, the poll's time after it. */
  at: string;
  source: 'run' | 'poll';
}

export interface SessionView {
  item: SessionItem;
  history: SessionStatusChange[];
}

/** A PR item of `/api/prs`. */
export interface PullRequestItem {
  pr_number: number;
  title: string;
  html_url: string;
  state: string;
  merged: boolean;
  created_at: string;
  /** `owner/repo` the PR was listed from. */
  repo: string;
  issue_ids: string[];
  user: string;
  session_id: string;
}

/** An issue item of `/api/issues`. */
export interface IssueItem {
  fingerprint: string;
  rule_id: string;
  severity_tier: string;
  cwe_family: string;
  file: string;
  start_line: number;
  status: TrackedFinding['status'];
  first_seen_run: number;
  first_seen_date: string;
  last_seen_run: number;
  last_seen_date: string;
  target_repo: string;
  appearances: number;
  run_numbers: number[];
  latest_issue_id: string;
}

/** A run item of `/api/runs`: the run file as the action wrote it (with what polls learnt since). */
export type RunItem = Record<string, unknown>;

/** The PRs the old dashboard kept (naming an issue or a session, or by a devin login), linked. */
export function pullRequestItems(
  prs: readonly StoredPullRequest[],
  runs: readonly StoredRun[],
): PullRequestItem[] {
  const sessionIds = [
    ...new Set(
      runs.flatMap((run) =>
        run.sessions
          .map((s) => matchableSessionId(s.sessionId))
          .filter((id): id is string => id !== undefined),
      ),
    ),
  ];
  const seen = new Set<string>();
  const items: PullRequestItem[] = [];
  for (const pr of prs) {
    const link = linkPullRequest({ title: pr.title, body: pr.body, userLogin: pr.userLogin }, sessionIds);
    if (link === undefined || seen.has(pr.htmlUrl)) continue;
    seen.add(pr.htmlUrl);
    items.push({
      pr_number: pr.number,
      title: pr.title,
      html_url: pr.htmlUrl,
      state: pr.state,
      merged: pr.merged,
      created_at: pr.createdAt,
      repo: pr.repo,
      issue_ids: link.issueIds,
      user: pr.userLogin,
      session_id: link.sessionId,
    });
  }
  return items;
}

/**
 * Every session of every run (the old `aggregate_sessions`), with the latest polled status and PR
 * URL over the run file's, and a PR URL found from the linked PRs where none is known.
 */
export function sessionViews(
  runs: readonly StoredRun[],
  statuses: readonly StoredSessionStatus[],
  prs: readonly PullRequestItem[],
): SessionView[] {
  const polled = new Map<string, StoredSessionStatus[]>();
  for (const status of statuses) {
    const list = polled.get(status.sessionId);
    if (list) list.push(status);
    else polled.set(status.sessionId, [status]);
  }
  const views = runs.flatMap((run) =>
    run.sessions.map((session): SessionView => {
      const history: SessionStatusChange[] = [{ status: session.status, at: run.timestamp, source: 'run' }];
      let prUrl = session.prUrl;
      for (const entry of polled.get(session.sessionId) ?? []) {
        if (entry.status !== history[history.length - 1].status)
          history.push({ status: entry.status, at: entry.observedAt, source: 'poll' });
        if (entry.prUrl) prUrl = entry.prUrl;
      }
      return {
        item: {
          session_id: session.sessionId,
          session_url: session.sessionUrl ?? '',
          batch_id: session.batchId,
          status: history[history.length - 1].status,
          issue_ids: session.issueIds,
          target_repo: run.targetRepoUrl,
          fork_url: run.forkUrl ?? '',
          run_number: run.runNumber,
          run_label: run.runLabel,
          timestamp: run.timestampAsWritten,
          pr_url: prUrl ?? '',
        },
        history,
      };
    }),
  );
  const prUrls = sessionPrUrls(
    views.map(({ item }) => ({
      sessionId: item.session_id,
      issueIds: item.issue_ids,
      prUrl: item.pr_url || null,
    })),
    prs.map((pr) => ({ sessionId: pr.session_id, issueIds: pr.issue_ids, htmlUrl: pr.html_url })),
  );
  views.forEach((view, i) => (view.item.pr_url = prUrls[i] ?? ''));
  return views;
}

/** The run file's shape of a stored run; sessions carry what polls learnt. */
export function runItem(
  run: StoredRun,
  sessions: ReadonlyMap<string, SessionItem>,
  findings?: StoredRunWithFindings['findings'],
): RunItem {
  const item: RunItem = {
    target_repo: run.targetRepoUrl,
    fork_url: run.forkUrl ?? '',
    run_number: run.runNumber,
    run_label: run.runLabel,
    timestamp: run.timestampAsWritten,
    issues_found: run.issuesFound,
    severity_breakdown: run.severityBreakdown,
    category_breakdown: run.categoryBreakdown,
    batches_created: run.batchesCreated,
    sessions: run.sessions.map((session) => {
      const known = sessions.get(session.sessionId);
      return {
        session_id: session.sessionId,
        session_url: session.sessionUrl ?? '',
        batch_id: session.batchId,
        status: known?.status ?? session.status,
        issue_ids: session.issueIds,
        pr_url: known?.pr_url || session.prUrl || '',
      };
    }),
  };
  if (run.runId !== null) item.run_id = run.runId;
  if (run.runUrl !== null) item.run_url = run.runUrl;
  if (run.issuesDispatched !== null) item.issues_dispatched = run.issuesDispatched;
  if (run.zeroIssueRun !== null) item.zero_issue_run = run.zeroIssueRun;
  if (findings !== undefined) {
    item.issue_fingerprints = findings.map((f) => ({
      id: f.issueId,
      fingerprint: f.fingerprint,
      ...findingFields(f),
    }));
  }
  return item;
}

/** Tracked findings of each repo's runs, as issue items in the reference's order. */
export interface TrackedIssues {
  items: IssueItem[];
  /** The tracked findings themselves (with their sightings), in the same order. */
  findings: TrackedFinding[];
}

export function trackedIssues(runs: readonly StoredRunWithFindings[]): TrackedIssues {
  const urls = new Map(runs.map((run) => [run.targetRepo, run.targetRepoUrl]));
  const pairs = [...trackRepos(runs.map((run) => ({ ...run, date: run.timestampAsWritten })))].flatMap(
    ([repo, findings]) => findings.map((finding) => ({ repo: urls.get(repo) ?? repo, finding })),
  );
  pairs.sort((a, b) => compareTrackedFindings(a.finding, b.finding));
  return {
    items: pairs.map(({ repo, finding }) => issueItem(repo, finding)),
    findings: pairs.map(({ finding }) => finding),
  };
}

/** A finding's rule and place under the run file's field names. */
function findingFields(
  f: Pick<TrackedFinding, 'ruleId' | 'severityTier' | 'cweFamily' | 'file' | 'startLine'>,
) {
  return {
    rule_id: f.ruleId,
    severity_tier: f.severityTier,
    cwe_family: f.cweFamily,
    file: f.file,
    start_line: f.startLine,
  };
}

function issueItem(targetRepoUrl: string, f: TrackedFinding): IssueItem {
  return {
    fingerprint: f.fingerprint,
    ...findingFields(f),
    status: f.status,
    first_seen_run: f.firstSeenRun,
    first_seen_date: f.firstSeenDate,
    last_seen_run: f.lastSeenRun,
    last_seen_date: f.lastSeenDate,
    target_repo: targetRepoUrl,
    appearances: f.appearances,
    run_numbers: f.runNumbers,
    latest_issue_id: f.latestIssueId,
  };
}

/** Ours beside the fix rate: fixed findings ÷ findings ever seen, over the items given. */
export function findingsFixedRateOf(items: readonly { status: string }[]): number {
  return findingsFixedRate(items.filter((i) => i.status === 'fixed').length, items.length);
}

/** The inputs of `dashboardStats` and `repoSummaries`. */
export function statsInputs(
  runs: readonly StoredRun[],
  sessions: readonly SessionItem[],
  prs: readonly PullRequestItem[],
): { runs: StatsRun[]; sessions: StatsSession[]; prs: StatsPullRequest[] } {
  return {
    runs: runs.map((run) => ({
      targetRepo: run.targetRepoUrl,
      forkUrl: run.forkUrl ?? '',
      timestamp: run.timestampAsWritten,
      issuesFound: run.issuesFound,
      severityBreakdown: run.severityBreakdown,
      categoryBreakdown: run.categoryBreakdown,
    })),
    sessions: sessions.map((s) => ({
      sessionId: s.session_id,
      status: s.status,
      prUrl: s.pr_url,
      targetRepo: s.target_repo,
    })),
    prs: prs.map((p) => ({ merged: p.merged, state: p.state, repo: p.repo })),
  };
}
