-- DevLake developer_telemetry connections. Mutable configuration: every change appends a row with a
-- higher version; reads take the latest row per id (FINAL) and skip deleted ones.
CREATE TABLE IF NOT EXISTS developer_telemetry_connections
(
    id UInt64,
    name String,
    endpoint String,
    proxy String,
    rate_limit_per_hour UInt32,
    secret_token_hash String,
    created_at DateTime64(3, 'UTC'),
    updated_at DateTime64(3, 'UTC'),
    deleted UInt8,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY id;
