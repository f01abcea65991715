-- PR activity traces. One row per trace: its header as the batches gave it, merged in log order
-- (a later batch's fields win, a field it did not send is kept); the highest version is the latest.
CREATE TABLE IF NOT EXISTS pr_traces
(
    trace_id String,
    pr_id String,
    repo_name String,
    branch String,
    languages Array(String),
    title String,
    status LowCardinality(String),
    pr_created_at Nullable(DateTime64(3, 'UTC')),
    pr_merged_at Nullable(DateTime64(3, 'UTC')),
    -- Keyed hash of developer.user_id; the id itself is never stored.
    developer_hash String,
    ide_version String,
    os String,
    first_received_at DateTime64(3, 'UTC'),
    last_received_at DateTime64(3, 'UTC'),
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY trace_id;

-- One row per event of a trace. server_seq is assigned once by the projection (dense from 1 per
-- trace, in arrival order) and never changes: a redelivered or resent event is recognised by its id
-- and not written again. Not partitioned, so a batch's rows are one block: stored whole or not at all.
CREATE TABLE IF NOT EXISTS trace_events
(
    trace_id String,
    event_id String,
    server_seq UInt32,
    client_seq Nullable(Int64),
    ts DateTime64(3, 'UTC'),
    type LowCardinality(String),
    -- JSON text, secrets already replaced.
    payload String,
    redactions UInt16,
    received_at DateTime64(3, 'UTC'),
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (trace_id, event_id)
SETTINGS non_replicated_deduplication_window = 1000;
