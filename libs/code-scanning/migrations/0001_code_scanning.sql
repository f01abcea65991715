-- Code-scanning fix runs. One row per run of a target repo, keyed by the action's run id where
-- the file has one, else by its run number: a resend writes the same row, a corrected resend
-- (or /api/backfill) a later version of it, so the run is replaced as a whole, findings included.
-- Findings live in the run's row (parallel arrays), so no finding of a replaced run survives it.
CREATE TABLE IF NOT EXISTS codescan_runs
(
    -- owner/repo; the full URL beside it is what the dashboard's shapes return.
    target_repo String,
    run_key String,
    target_repo_url String,
    fork_url Nullable(String),
    run_number UInt32,
    run_id Nullable(String),
    run_label String,
    timestamp DateTime64(3, 'UTC'),
    timestamp_as_written String,
    run_url Nullable(String),
    issues_found UInt32,
    issues_dispatched Nullable(UInt32),
    zero_issue_run Nullable(Bool),
    -- JSON objects, key order as the file wrote them (the dashboard sums them in that order).
    severity_breakdown String,
    category_breakdown String,
    batches_created UInt32,
    -- JSON array of the run's sessions as the run event carries them.
    sessions String,
    finding_issue_ids Array(String),
    finding_fingerprints Array(String),
    -- '' where the file gave no snippet or message.
    finding_shift_keys Array(String),
    finding_rule_ids Array(String),
    finding_severity_tiers Array(String),
    finding_cwe_families Array(String),
    finding_files Array(String),
    finding_start_lines Array(UInt32),
    fingerprints_computed Bool,
    received_at DateTime64(3, 'UTC'),
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (target_repo, run_key);

-- Each session's statuses as the session service answered them (POST /api/poll), one row per
-- poll; the status the run file gave is the first entry of its history, read from the run.
CREATE TABLE IF NOT EXISTS codescan_session_statuses
(
    session_id String,
    observed_at DateTime64(3, 'UTC'),
    status LowCardinality(String),
    pr_url Nullable(String),
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (session_id, observed_at);

-- PRs of the fork (and target) repos as GitHub listed them; a later listing replaces a PR.
-- Which session and issues a PR belongs to is decided when read, from its title and body.
CREATE TABLE IF NOT EXISTS codescan_pull_requests
(
    repo String,
    pr_number UInt32,
    title String,
    body String,
    html_url String,
    state LowCardinality(String),
    merged Bool,
    created_at String,
    user_login String,
    polled_at DateTime64(3, 'UTC'),
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (repo, pr_number);
