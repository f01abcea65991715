-- jwc.v1 app usage events. One row per event id; a resent event (same id, same time) replaces
-- itself, and every read uses FINAL, so a resend changes no answer, before or after merges.
-- anon is stored only as a keyed hash; the client IP is never stored.
CREATE TABLE IF NOT EXISTS app_events
(
    event_id String,
    ts DateTime64(3, 'UTC'),
    evt LowCardinality(String),
    anon_hash FixedString(64),
    -- The first 64 bits of anon_hash: what distinct-user counts read (8 bytes instead of 64).
    user_key UInt64,
    os LowCardinality(String),
    ext LowCardinality(String),
    vscode LowCardinality(String),
    meta String,
    duration_ms Nullable(Float64),
    country LowCardinality(String),
    region LowCardinality(String),
    city String,
    received_at DateTime64(3, 'UTC'),
    -- Set by the store: tells the stats rollups which days changed after they were computed.
    inserted_at DateTime64(3, 'UTC') DEFAULT now64(3),
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(ts)
ORDER BY (toDate(ts), event_id)
SETTINGS non_replicated_deduplication_window = 1000;
