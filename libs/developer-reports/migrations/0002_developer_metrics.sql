-- One row per (connection, developer, day): the DevLake plugin's _tool_developer_metrics columns,
-- plus the version that makes the latest report win. Reads use FINAL so they are exact before merges.
CREATE TABLE IF NOT EXISTS developer_metrics
(
    connection_id UInt64,
    developer_id String,
    date Date,
    email String,
    name String,
    hostname String,
    active_hours Float64,
    tools_used Array(String),
    project_context Array(String),
    command_counts Map(String, UInt64),
    os_info String,
    received_at DateTime64(3, 'UTC'),
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(date)
ORDER BY (connection_id, developer_id, date)
SETTINGS non_replicated_deduplication_window = 1000;
