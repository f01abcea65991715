import { Inject } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { Type } from '@sinclair/typebox';
import {
  APP_CONFIG,
  type AppConfig,
  ValidationFailedError,
  compileSchema,
  oneOf,
  pageErrors,
  toPage,
} from '@th/platform';
import type { StoredRun } from './codescan.repository';
import {
  FixSession,
  FixSessionPage,
  FixSessionsArgs,
  ScanCount,
  ScanIssue,
  ScanIssuePage,
  ScanIssuesArgs,
  ScanListArgs,
  ScanPullRequest,
  ScanPullRequestPage,
  ScanRepoSummary,
  ScanRun,
  ScanRunPage,
  ScanStats,
} from './codescan.model';
import { DashboardService, repoSlugOf } from './dashboard.service';

const STATUSES = ['recurring', 'new', 'fixed'] as const;

const validateFilter = compileSchema(
  Type.Object({
    repo: Type.Optional(
      Type.String({
        pattern: '^(https://github\\.com/)?[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}/?$',
        errorMessage: 'must be owner/repo or https://github.com/owner/repo',
      }),
    ),
    status: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    rule: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    severity: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  }),
);
const validateIssueStatus = compileSchema(Type.Object({ status: Type.Optional(oneOf(STATUSES)) }));

const counts = (breakdown: Readonly<Record<string, number>>): ScanCount[] =>
  Object.entries(breakdown).map(([key, count]) => ({ key, count }));

/** GraphQL issue tracking: the dashboard's answers, the same figures as its REST shapes. */
@Resolver()
export class CodescanResolver {
  constructor(
    private readonly dashboard: DashboardService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Checks the filters and the page; gives the repo as owner/repo. */
  private checked(
    args: ScanListArgs & { status?: string; rule?: string; severity?: string },
    issues = false,
  ) {
    const { limit, offset, ...filters } = args;
    const defined = Object.fromEntries(
      Object.entries(filters).filter(([, v]) => v !== undefined && v !== null),
    );
    const results = [
      validateFilter(defined),
      ...(issues ? [validateIssueStatus({ status: args.status ?? undefined })] : []),
    ];
    const errors = [
      ...results.flatMap((r) => (r.ok ? [] : r.errors)),
      ...pageErrors({ limit, offset }, this.config.GRAPHQL_MAX_PAGE_SIZE),
    ];
    if (errors.length > 0) throw new ValidationFailedError(errors);
    return { repo: args.repo ? repoSlugOf(args.repo) : undefined, page: { limit, offset } };
  }

  @Query(() => ScanIssuePage, {
    description:
      'Findings tracked across runs (recurring, new, fixed), in the order of /api/issues, with their history',
  })
  async scanIssues(@Args() args: ScanIssuesArgs): Promise<ScanIssuePage> {
    const { repo, page } = this.checked(args, true);
    const tracked = await this.dashboard.issues(repo);
    const matching = tracked.items
      .map((item, i) => ({ item, finding: tracked.findings[i] }))
      .filter(
        ({ item }) =>
          (!args.status || item.status === args.status) &&
          (!args.rule || item.rule_id === args.rule) &&
          (!args.severity || item.severity_tier === args.severity),
      );
    const items = matching
      .slice(page.offset, page.offset + page.limit)
      .map(({ item, finding }): ScanIssue => ({
        fingerprint: item.fingerprint,
        ruleId: item.rule_id,
        severityTier: item.severity_tier,
        cweFamily: item.cwe_family,
        file: item.file,
        startLine: item.start_line,
        status: item.status,
        firstSeenRun: item.first_seen_run,
        firstSeenDate: item.first_seen_date,
        lastSeenRun: item.last_seen_run,
        lastSeenDate: item.last_seen_date,
        targetRepo: item.target_repo,
        appearances: item.appearances,
        runNumbers: item.run_numbers,
        latestIssueId: item.latest_issue_id,
        history: finding.sightings,
      }));
    return toPage(items, matching.length, page);
  }

  @Query(() => ScanRunPage, { description: 'Runs, the highest run number first (as /api/runs)' })
  async scanRuns(@Args() args: ScanListArgs): Promise<ScanRunPage> {
    const { repo, page } = this.checked(args);
    const runs = [...(await this.dashboard.storedRuns(repo))].sort((a, b) => b.runNumber - a.runNumber);
    return toPage(runs.slice(page.offset, page.offset + page.limit).map(scanRun), runs.length, page);
  }

  @Query(() => FixSessionPage, { description: 'Fix sessions with their status history (as /api/sessions)' })
  async fixSessions(@Args() args: FixSessionsArgs): Promise<FixSessionPage> {
    const { repo, page } = this.checked(args);
    const sessions = (await this.dashboard.sessions(repo)).filter(
      (s) => !args.status || s.item.status === args.status,
    );
    const items = sessions
      .slice(page.offset, page.offset + page.limit)
      .map(({ item, history }): FixSession => ({
        sessionId: item.session_id,
        sessionUrl: item.session_url,
        batchId: item.batch_id === null ? null : String(item.batch_id),
        status: item.status,
        issueIds: item.issue_ids,
        targetRepo: item.target_repo,
        forkUrl: item.fork_url,
        runNumber: item.run_number,
        runLabel: item.run_label,
        timestamp: item.timestamp,
        prUrl: item.pr_url,
        statusHistory: history,
      }));
    return toPage(items, sessions.length, page);
  }

  @Query(() => ScanPullRequestPage, { description: 'Fix PRs linked to sessions and issues (as /api/prs)' })
  async pullRequests(@Args() args: ScanListArgs): Promise<ScanPullRequestPage> {
    const { repo, page } = this.checked(args);
    const prs = await this.dashboard.pullRequests(repo);
    const items = prs.slice(page.offset, page.offset + page.limit).map((pr): ScanPullRequest => ({
      prNumber: pr.pr_number,
      title: pr.title,
      htmlUrl: pr.html_url,
      state: pr.state,
      merged: pr.merged,
      createdAt: pr.created_at,
      repo: pr.repo,
      issueIds: pr.issue_ids,
      user: pr.user,
      sessionId: pr.session_id,
    }));
    return toPage(items, prs.length, page);
  }

  @Query(() => [ScanRepoSummary], {
    description: 'One summary per target repo, the latest run first (as /api/repos)',
  })
  async repoSummaries(): Promise<ScanRepoSummary[]> {
    return (await this.dashboard.repos()).map((r) => ({
      repo: r.repo,
      forkUrl: r.fork_url,
      runs: r.runs,
      issuesFound: r.issues_found,
      sessionsCreated: r.sessions_created,
      sessionsFinished: r.sessions_finished,
      prsTotal: r.prs_total,
      prsMerged: r.prs_merged,
      prsOpen: r.prs_open,
      severityBreakdown: counts(r.severity_breakdown),
      categoryBreakdown: counts(r.category_breakdown),
      lastRun: r.last_run,
      findingsFixedRate: r.findings_fixed_rate,
    }));
  }

  @Query(() => ScanStats, { description: 'What /api/stats returns' })
  async scanStats(): Promise<ScanStats> {
    const s = await this.dashboard.stats();
    return {
      reposScanned: s.repos_scanned,
      repoList: s.repo_list,
      totalRuns: s.total_runs,
      totalIssues: s.total_issues,
      latestIssues: s.latest_issues,
      latestSeverity: counts(s.latest_severity),
      latestCategory: counts(s.latest_category),
      sessionsCreated: s.sessions_created,
      sessionsFinished: s.sessions_finished,
      sessionsWithPr: s.sessions_with_pr,
      prsTotal: s.prs_total,
      prsMerged: s.prs_merged,
      prsOpen: s.prs_open,
      prsClosed: s.prs_closed,
      fixRate: s.fix_rate,
      findingsFixedRate: s.findings_fixed_rate,
      severityBreakdown: counts(s.severity_breakdown),
      categoryBreakdown: counts(s.category_breakdown),
    };
  }
}

function scanRun(run: StoredRun): ScanRun {
  return {
    targetRepo: run.targetRepoUrl,
    forkUrl: run.forkUrl ?? '',
    runNumber: run.runNumber,
    runId: run.runId,
    runLabel: run.runLabel,
    timestamp: run.timestampAsWritten,
    runUrl: run.runUrl,
    issuesFound: run.issuesFound,
    issuesDispatched: run.issuesDispatched,
    severityBreakdown: counts(run.severityBreakdown),
    categoryBreakdown: counts(run.categoryBreakdown),
    batchesCreated: run.batchesCreated,
    sessionCount: run.sessions.length,
    fingerprintsComputed: run.fingerprintsComputed,
  };
}
