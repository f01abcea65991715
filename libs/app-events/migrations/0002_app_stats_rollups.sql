-- Exact rollups behind /stats. A resend must never change an answer, so nothing here counts
-- inserted rows blindly:
--   * app_users_daily holds one row per (day, user): a duplicate event adds nothing.
--   * app_stats_cube and app_stats_durations are computed from app_events FINAL for one closed UTC
--     day at a time, stamped with a generation. A generation is used only while no insert touched
--     its day afterwards (app_day_inserts); otherwise that day is read from app_events FINAL.

CREATE TABLE IF NOT EXISTS app_day_inserts
(
    day Date,
    last_inserted SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS app_day_inserts_mv TO app_day_inserts AS
SELECT toDate(ts) AS day, max(inserted_at) AS last_inserted
FROM app_events
GROUP BY day;

CREATE TABLE IF NOT EXISTS app_users_daily
(
    day Date,
    user_key UInt64
)
ENGINE = ReplacingMergeTree
ORDER BY (day, user_key);

CREATE MATERIALIZED VIEW IF NOT EXISTS app_users_daily_mv TO app_users_daily AS
SELECT DISTINCT toDate(ts) AS day, user_key
FROM app_events;

CREATE TABLE IF NOT EXISTS app_stats_days
(
    day Date,
    generation DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (day, generation);

CREATE TABLE IF NOT EXISTS app_stats_cube
(
    day Date,
    generation DateTime64(3, 'UTC'),
    hour UInt8,
    evt LowCardinality(String),
    os LowCardinality(String),
    ext LowCardinality(String),
    vscode LowCardinality(String),
    country LowCardinality(String),
    region LowCardinality(String),
    city String,
    events UInt64
)
ENGINE = MergeTree
ORDER BY (day, generation, evt, os, ext);

CREATE TABLE IF NOT EXISTS app_stats_durations
(
    day Date,
    generation DateTime64(3, 'UTC'),
    evt LowCardinality(String),
    os LowCardinality(String),
    ext LowCardinality(String),
    duration_ms Float64,
    n UInt64
)
ENGINE = MergeTree
ORDER BY (day, generation, evt);
