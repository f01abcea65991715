import type { ClickHouseClient } from '@clickhouse/client';
import { Inject, Injectable } from '@nestjs/common';
import { CLICKHOUSE, queryRows } from '@th/store';
import type { RunEvent } from '../contract/run-event.schema';
import type { RepoRun, RunFinding } from '../tracking/cross-run-status';

export type StoredSession = RunEvent['sessions'][number];

/** A stored run, without its findings (lists, stats). */
export interface StoredRun {
  targetRepo: string;
  /** See runKeyOf: the run's identity within its repo. */
  runKey: string;
  targetRepoUrl: string;
  forkUrl: string | null;
  runNumber: number;
  runId: string | null;
  runLabel: string;
  /** ISO-8601 UTC. */
  timestamp: string;
  timestampAsWritten: string;
  runUrl: string | null;
  issuesFound: number;
  issuesDispatched: number | null;
  zeroIssueRun: boolean | null;
  severityBreakdown: Record<string, number>;
  categoryBreakdown: Record<string, number>;
  batchesCreated: number;
  sessions: StoredSession[];
  fingerprintsComputed: boolean;
}

/** A stored run with its findings. */
export interface StoredRunWithFindings extends StoredRun, RepoRun {
  findings: RunFinding[];
}

export interface StoredSessionStatus {
  sessionId: string;
  observedAt: string;
  status: string;
  prUrl: string | null;
}

export interface StoredPullRequest {
  repo: string;
  number: number;
  title: string;
  body: string;
  htmlUrl: string;
  state: string;
  merged: boolean;
  createdAt: string;
  userLogin: string;
}

const RUN_COLUMNS = `target_repo, run_key, target_repo_url, fork_url, run_number, run_id, run_label,
  toUnixTimestamp64Milli(timestamp) AS millis, timestamp_as_written, run_url, issues_found,
  issues_dispatched, zero_issue_run, severity_breakdown, category_breakdown, batches_created, sessions,
  fingerprints_computed`;

const FINDING_COLUMNS = `finding_issue_ids, finding_fingerprints, finding_shift_keys, finding_rule_ids,
  finding_severity_tiers, finding_cwe_families, finding_files, finding_start_lines`;

interface RunRow {
  target_repo: string;
  run_key: string;
  target_repo_url: string;
  fork_url: string | null;
  run_number: number;
  run_id: string | null;
  run_label: string;
  millis: string | number;
  timestamp_as_written: string;
  run_url: string | null;
  issues_found: number;
  issues_dispatched: number | null;
  zero_issue_run: boolean | null;
  severity_breakdown: string;
  category_breakdown: string;
  batches_created: number;
  sessions: string;
  fingerprints_computed: boolean;
}

interface FindingRow {
  finding_issue_ids: string[];
  finding_fingerprints: string[];
  finding_shift_keys: string[];
  finding_rule_ids: string[];
  finding_severity_tiers: string[];
  finding_cwe_families: string[];
  finding_files: string[];
  finding_start_lines: number[];
}

function storedRun(row: RunRow): StoredRun {
  return {
    targetRepo: row.target_repo,
    runKey: row.run_key,
    targetRepoUrl: row.target_repo_url,
    forkUrl: row.fork_url,
    runNumber: Number(row.run_number),
    runId: row.run_id,
    runLabel: row.run_label,
    timestamp: new Date(Number(row.millis)).toISOString(),
    timestampAsWritten: row.timestamp_as_written,
    runUrl: row.run_url,
    issuesFound: Number(row.issues_found),
    issuesDispatched: row.issues_dispatched === null ? null : Number(row.issues_dispatched),
    zeroIssueRun: row.zero_issue_run,
    severityBreakdown: JSON.parse(row.severity_breakdown) as Record<string, number>,
    categoryBreakdown: JSON.parse(row.category_breakdown) as Record<string, number>,
    batchesCreated: Number(row.batches_created),
    sessions: JSON.parse(row.sessions) as StoredSession[],
    fingerprintsComputed: Boolean(row.fingerprints_computed),
  };
}

/** The map key of {@link CodescanRepository.findingsOfRuns}. */
export function runIdentity(targetRepo: string, runKey: string): string {
  return `${targetRepo}\0${runKey}`;
}

function findingsOf(row: FindingRow): RunFinding[] {
  return row.finding_issue_ids.map((issueId, i) => ({
    issueId,
    fingerprint: row.finding_fingerprints[i],
    shiftKey: row.finding_shift_keys[i] === '' ? undefined : row.finding_shift_keys[i],
    ruleId: row.finding_rule_ids[i],
    severityTier: row.finding_severity_tiers[i],
    cweFamily: row.finding_cwe_families[i],
    file: row.finding_files[i],
    startLine: Number(row.finding_start_lines[i]),
  }));
}

/**
 * Reads of the code-scanning tables. Runs come in the order the old dashboard loaded its files
 * (`{owner}_{repo}_run_{N}_{timestamp}.json`, sorted by name): by repo, run number, timestamp.
 */
@Injectable()
export class CodescanRepository {
  constructor(@Inject(CLICKHOUSE) private readonly client: ClickHouseClient) {}

  async runs(repo?: string): Promise<StoredRun[]> {
    const rows = await queryRows<RunRow>(
      this.client,
      `SELECT ${RUN_COLUMNS} FROM codescan_runs FINAL
       ${repo === undefined ? '' : 'WHERE target_repo = {repo:String}'}
       ORDER BY target_repo, run_number, timestamp, run_key`,
      repo === undefined ? {} : { repo },
    );
    return rows.map(storedRun);
  }

  /** Runs with their findings; of one repo, of some repos, or every repo's. */
  async runsWithFindings(repos?: string | readonly string[]): Promise<StoredRunWithFindings[]> {
    const list = typeof repos === 'string' ? [repos] : repos;
    const rows = await queryRows<RunRow & FindingRow>(
      this.client,
      `SELECT ${RUN_COLUMNS}, ${FINDING_COLUMNS} FROM codescan_runs FINAL
       ${list === undefined ? '' : 'WHERE target_repo IN {repos:Array(String)}'}
       ORDER BY target_repo, run_number, timestamp, run_key`,
      list === undefined ? {} : { repos: list },
    );
    return rows.map((row) => ({ ...storedRun(row), findings: findingsOf(row) }));
  }

  /**
   * A token per repo that changes whenever a run of it is written (or its copies are merged):
   * what a cache of figures computed from a repo's runs is keyed by. Cheap: no FINAL, no findings.
   */
  async repoStateTokens(): Promise<Map<string, string>> {
    const rows = await queryRows<{ target_repo: string; token: string }>(
      this.client,
      `SELECT target_repo, concat(toString(count()), ':', toString(max(version))) AS token
       FROM codescan_runs GROUP BY target_repo`,
    );
    return new Map(rows.map((row) => [row.target_repo, row.token]));
  }

  /** The findings of the given runs, by `target_repo` and run key (pages of runs). */
  async findingsOfRuns(
    runs: readonly { targetRepo: string; runKey: string }[],
  ): Promise<Map<string, RunFinding[]>> {
    const found = new Map<string, RunFinding[]>();
    if (runs.length === 0) return found;
    const rows = await queryRows<FindingRow & { target_repo: string; run_key: string }>(
      this.client,
      `SELECT target_repo, run_key, ${FINDING_COLUMNS} FROM codescan_runs FINAL
       WHERE target_repo IN {repos:Array(String)} AND run_key IN {keys:Array(String)}`,
      { repos: [...new Set(runs.map((r) => r.targetRepo))], keys: [...new Set(runs.map((r) => r.runKey))] },
    );
    for (const row of rows) found.set(runIdentity(row.target_repo, row.run_key), findingsOf(row));
    return found;
  }

  /** Every polled status, each session's in the order observed. */
  async sessionStatuses(): Promise<StoredSessionStatus[]> {
    const rows = await queryRows<{
      session_id: string;
      millis: string;
      status: string;
      pr_url: string | null;
    }>(
      this.client,
      `SELECT session_id, toUnixTimestamp64Milli(observed_at) AS millis, status, pr_url
       FROM codescan_session_statuses FINAL ORDER BY session_id, observed_at`,
    );
    return rows.map((row) => ({
      sessionId: row.session_id,
      observedAt: new Date(Number(row.millis)).toISOString(),
      status: row.status,
      prUrl: row.pr_url,
    }));
  }

  /** Every listed PR, each repo's newest first (GitHub's order). */
  async pullRequests(): Promise<StoredPullRequest[]> {
    const rows = await queryRows<{
      repo: string;
      pr_number: number;
      title: string;
      body: string;
      html_url: string;
      state: string;
      merged: boolean;
      created_at: string;
      user_login: string;
    }>(
      this.client,
      `SELECT repo, pr_number, title, body, html_url, state, merged, created_at, user_login
       FROM codescan_pull_requests FINAL ORDER BY repo, pr_number DESC`,
    );
    return rows.map((row) => ({
      repo: row.repo,
      number: Number(row.pr_number),
      title: row.title,
      body: row.body,
      htmlUrl: row.html_url,
      state: row.state,
      merged: Boolean(row.merged),
      createdAt: row.created_at,
      userLogin: row.user_login,
    }));
  }
}
