import type { RunEvent } from '../contract/run-event.schema';
import type { StoredRunWithFindings } from '../read/codescan.repository';

/** A stored run as the run event that stored it, to publish a patched copy (`/api/backfill`). */
export function runEventOfStored(run: StoredRunWithFindings): RunEvent {
  return {
    targetRepo: run.targetRepo,
    targetRepoUrl: run.targetRepoUrl,
    forkUrl: run.forkUrl,
    runNumber: run.runNumber,
    runId: run.runId,
    runLabel: run.runLabel,
    timestamp: run.timestamp,
    timestampAsWritten: run.timestampAsWritten,
    runUrl: run.runUrl,
    issuesFound: run.issuesFound,
    issuesDispatched: run.issuesDispatched,
    zeroIssueRun: run.zeroIssueRun,
    severityBreakdown: run.severityBreakdown,
    categoryBreakdown: run.categoryBreakdown,
    batchesCreated: run.batchesCreated,
    sessions: run.sessions,
    findings: run.findings.map((f) => ({
      issueId: f.issueId,
      fingerprint: f.fingerprint,
      shiftKey: f.shiftKey ?? null,
      ruleId: f.ruleId,
      severityTier: f.severityTier,
      cweFamily: f.cweFamily,
      file: f.file,
      startLine: f.startLine,
    })),
    fingerprintsComputed: run.fingerprintsComputed,
  };
}
