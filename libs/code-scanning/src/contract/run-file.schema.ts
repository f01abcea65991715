import { type Static, Type } from '@sinclair/typebox';

/**
 * A run file exactly as the CodeQL fix action writes it (telemetry/runs/*.json), older files
 * included: without `issue_fingerprints`, `run_id` or PR URLs. Unknown fields are kept by the
 * action's later versions and ignored here. Bounds are generous for real runs and stop a hostile
 * body from growing without end.
 */

/** `https://github.com/<owner>/<repo>`, as the action writes target and fork repos. */
const githubRepoUrl = Type.String({
  pattern: '^https://github\\.com/[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}/?$',
  errorMessage: 'must be a https://github.com/<owner>/<repo> URL',
});

/** An issue id of the action: `CQLF-R<run>-<index>`. */
export const ISSUE_ID_PATTERN = '^CQLF-R\\d{1,9}-\\d{1,9}$';
const issueId = Type.String({ pattern: ISSUE_ID_PATTERN, errorMessage: 'must look like CQLF-R15-0001' });

/** Most findings in one run file: its run event must stay one Kafka message (1 MB by default). */
export const MAX_RUN_FINDINGS = 3_000;

const count = Type.Integer({ minimum: 0, maximum: 10_000_000 });
const breakdown = Type.Record(Type.String({ maxLength: 128 }), count, { maxProperties: 500 });
const text = (maxLength: number) => Type.String({ maxLength });

export const RunSessionSchema = Type.Object({
  session_id: Type.String({ minLength: 1, maxLength: 128 }),
  session_url: Type.Optional(Type.Union([text(2048), Type.Null()])),
  batch_id: Type.Optional(Type.Union([Type.Integer(), text(128), Type.Null()])),
  /** `created`, `dry-run`, or `error: <reason>` when the action wrote the file. */
  status: Type.Optional(text(1024)),
  /** Older files wrote `[""]` for a batch without ids (what backfill clears); empty ids are dropped. */
  issue_ids: Type.Optional(Type.Array(Type.Union([issueId, Type.Literal('')]), { maxItems: 10_000 })),
  pr_url: Type.Optional(Type.Union([text(2048), Type.Null()])),
});
export type RunSession = Static<typeof RunSessionSchema>;

export const RunFindingSchema = Type.Object({
  id: issueId,
  /** SHA-256 hex of `rule_id|file|start_line`, first 16; computed when an older file lacks it. */
  fingerprint: Type.Optional(
    Type.String({ pattern: '^[0-9a-f]{16}$', errorMessage: 'must be 16 lower-case hex characters' }),
  ),
  rule_id: Type.String({ minLength: 1, maxLength: 256 }),
  severity_tier: Type.Optional(text(64)),
  cwe_family: Type.Optional(text(128)),
  file: Type.String({ minLength: 1, maxLength: 1024 }),
  start_line: Type.Integer({ minimum: 0, maximum: 100_000_000 }),
  /** When present, the finding is also followed by a key that survives a line shift. */
  snippet: Type.Optional(Type.Union([text(8192), Type.Null()])),
  message: Type.Optional(Type.Union([text(8192), Type.Null()])),
});
export type RunFindingEntry = Static<typeof RunFindingSchema>;

export const RunFileSchema = Type.Object({
  target_repo: githubRepoUrl,
  fork_url: Type.Optional(Type.Union([githubRepoUrl, Type.Null()])),
  run_number: Type.Integer({ minimum: 1, maximum: 1_000_000_000 }),
  run_label: Type.Optional(text(256)),
  /** ISO-8601, as the action writes it (`2026-03-02T10:00:00+00:00`). */
  timestamp: Type.String({ minLength: 10, maxLength: 40 }),
  run_id: Type.Optional(
    Type.Union([Type.Integer({ minimum: 0 }), Type.String({ minLength: 1, maxLength: 64 })]),
  ),
  run_url: Type.Optional(Type.Union([text(2048), Type.Null()])),
  issues_found: Type.Optional(count),
  issues_dispatched: Type.Optional(count),
  zero_issue_run: Type.Optional(Type.Boolean()),
  severity_breakdown: Type.Optional(breakdown),
  category_breakdown: Type.Optional(breakdown),
  batches_created: Type.Optional(count),
  sessions: Type.Optional(Type.Array(RunSessionSchema, { maxItems: 1000 })),
  issue_fingerprints: Type.Optional(Type.Array(RunFindingSchema, { maxItems: MAX_RUN_FINDINGS })),
});
export type RunFile = Static<typeof RunFileSchema>;
