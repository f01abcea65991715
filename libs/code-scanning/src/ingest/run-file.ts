import { type FieldError, ValidationFailedError, compileSchema, parseIsoTime } from '@th/platform';
import type { RunEvent } from '../contract/run-event.schema';
import { type RunFile, RunFileSchema } from '../contract/run-file.schema';
import { findingFingerprint, shiftProofKey } from '../tracking/fingerprint';

const validateRunFile = compileSchema(RunFileSchema);

/**
 * A run file as the action writes it → the run event the log keeps: every field checked (all
 * problems named at once), the timestamp made UTC, and every finding fingerprinted (an older file
 * without `issue_fingerprints`' fingerprints gets the action's own, computed here).
 */
export function runEventOf(body: unknown): RunEvent {
  const checked = validateRunFile(body);
  if (!checked.ok) throw new ValidationFailedError(checked.errors);
  const file: RunFile = checked.value;
  const errors: FieldError[] = [];
  const millis = parseIsoTime(file.timestamp);
  if (millis === undefined) {
    errors.push({
      field: 'timestamp',
      message: 'must be an ISO-8601 date-time such as 2026-03-02T10:00:00+00:00',
    });
  }
  const seenIds = new Set<string>();
  (file.issue_fingerprints ?? []).forEach((finding, index) => {
    if (seenIds.has(finding.id))
      errors.push({ field: `issue_fingerprints.${index}.id`, message: 'repeats an earlier id' });
    seenIds.add(finding.id);
  });
  if (errors.length > 0 || millis === undefined) throw new ValidationFailedError(errors);

  let computed = file.issue_fingerprints === undefined;
  const findings = (file.issue_fingerprints ?? []).map((finding) => {
    if (finding.fingerprint === undefined) computed = true;
    return {
      issueId: finding.id,
      fingerprint:
        finding.fingerprint ?? findingFingerprint(finding.rule_id, finding.file, finding.start_line),
      shiftKey: shiftProofKey(finding.rule_id, finding.file, finding) ?? null,
      ruleId: finding.rule_id,
      severityTier: finding.severity_tier ?? 'unknown',
      cweFamily: finding.cwe_family ?? 'unknown',
      file: finding.file,
      startLine: finding.start_line,
    };
  });
  return {
    targetRepo: repoSlug(file.target_repo),
    targetRepoUrl: file.target_repo.replace(/\/$/, ''),
    forkUrl: file.fork_url ? file.fork_url.replace(/\/$/, '') : null,
    runNumber: file.run_number,
    runId: file.run_id === undefined ? null : String(file.run_id),
    runLabel: file.run_label ?? `run-${file.run_number}`,
    timestamp: new Date(millis).toISOString(),
    timestampAsWritten: file.timestamp,
    runUrl: file.run_url ?? null,
    issuesFound: file.issues_found ?? findings.length,
    issuesDispatched: file.issues_dispatched ?? null,
    zeroIssueRun: file.zero_issue_run ?? null,
    severityBreakdown: file.severity_breakdown ?? {},
    categoryBreakdown: file.category_breakdown ?? {},
    batchesCreated: file.batches_created ?? 0,
    sessions: (file.sessions ?? []).map((session) => ({
      sessionId: session.session_id,
      sessionUrl: session.session_url ?? null,
      batchId: session.batch_id ?? null,
      status: session.status ?? 'created',
      issueIds: (session.issue_ids ?? []).filter((id) => id !== ''),
      prUrl: session.pr_url ?? null,
    })),
    findings,
    fingerprintsComputed: computed,
  };
}

/** `https://github.com/acme/payments` → `acme/payments`. */
function repoSlug(url: string): string {
  return url.replace(/^https:\/\/github\.com\//, '').replace(/\/$/, '');
}
