import type { Envelope } from '@th/contracts';
import { compileSchema } from '@th/platform';
import { type Projection, type TableRow, rowVersion } from '@th/projection';
import {
  CODESCAN_PULL_REQUESTS_KIND,
  CODESCAN_SESSION_STATUS_KIND,
  type PullRequestsEvent,
  PullRequestsEventSchema,
  type SessionStatusEvent,
  SessionStatusEventSchema,
} from '../contract/poll-events.schema';
import { CODESCAN_RUN_KIND, type RunEvent, RunEventSchema } from '../contract/run-event.schema';
import { runKeyOf } from '../contract/run-key';

/**
 * A run becomes one `codescan_runs` row, findings included. The latest received version of a run
 * wins (a corrected resend replaces it); the run key is the same for every copy, so a resend or a
 * redelivery writes the same row again.
 */
export const codescanRunProjection: Projection<RunEvent> = {
  kind: CODESCAN_RUN_KIND,
  validatePayload: compileSchema(RunEventSchema),
  project(envelope: Envelope<RunEvent>): TableRow[] {
    const run = envelope.payload;
    const findings = run.findings;
    return [
      {
        table: 'codescan_runs',
        row: {
          target_repo: run.targetRepo,
          run_key: runKeyOf(run),
          target_repo_url: run.targetRepoUrl,
          fork_url: run.forkUrl,
          run_number: run.runNumber,
          run_id: run.runId,
          run_label: run.runLabel,
          timestamp: run.timestamp,
          timestamp_as_written: run.timestampAsWritten,
          run_url: run.runUrl,
          issues_found: run.issuesFound,
          issues_dispatched: run.issuesDispatched,
          zero_issue_run: run.zeroIssueRun,
          severity_breakdown: JSON.stringify(run.severityBreakdown),
          category_breakdown: JSON.stringify(run.categoryBreakdown),
          batches_created: run.batchesCreated,
          sessions: JSON.stringify(run.sessions),
          finding_issue_ids: findings.map((f) => f.issueId),
          finding_fingerprints: findings.map((f) => f.fingerprint),
          finding_shift_keys: findings.map((f) => f.shiftKey ?? ''),
          finding_rule_ids: findings.map((f) => f.ruleId),
          finding_severity_tiers: findings.map((f) => f.severityTier),
          finding_cwe_families: findings.map((f) => f.cweFamily),
          finding_files: findings.map((f) => f.file),
          finding_start_lines: findings.map((f) => f.startLine),
          fingerprints_computed: run.fingerprintsComputed,
          received_at: envelope.receivedAt,
          version: rowVersion(envelope.receivedAt, run),
        },
      },
    ];
  },
};

/** Each polled status is one entry of its session's history. */
export const codescanSessionStatusProjection: Projection<SessionStatusEvent> = {
  kind: CODESCAN_SESSION_STATUS_KIND,
  validatePayload: compileSchema(SessionStatusEventSchema),
  project(envelope: Envelope<SessionStatusEvent>): TableRow[] {
    const { observedAt, sessions } = envelope.payload;
    return sessions.map((session) => ({
      table: 'codescan_session_statuses',
      row: {
        session_id: session.sessionId,
        observed_at: observedAt,
        status: session.status,
        pr_url: session.prUrl,
        version: rowVersion(envelope.receivedAt, session),
      },
    }));
  },
};

/** Each listed PR replaces what an earlier listing said of it. */
export const codescanPullRequestsProjection: Projection<PullRequestsEvent> = {
  kind: CODESCAN_PULL_REQUESTS_KIND,
  validatePayload: compileSchema(PullRequestsEventSchema),
  project(envelope: Envelope<PullRequestsEvent>): TableRow[] {
    const { repo, polledAt, pulls } = envelope.payload;
    return pulls.map((pull) => ({
      table: 'codescan_pull_requests',
      row: {
        repo,
        pr_number: pull.number,
        title: pull.title,
        body: pull.body,
        html_url: pull.htmlUrl,
        state: pull.state,
        merged: pull.merged,
        created_at: pull.createdAt,
        user_login: pull.userLogin,
        polled_at: polledAt,
        version: rowVersion(polledAt, pull),
      },
    }));
  },
};
