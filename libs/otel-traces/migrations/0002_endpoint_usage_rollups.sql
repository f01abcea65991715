-- Exact per-day rollups behind endpointUsage (as app_stats_cube is behind /stats). A resend must
-- never change an answer, so nothing here counts inserted rows blindly: endpoint_usage_daily is
-- computed from endpoint_usage FINAL for one closed UTC day at a time, stamped with a generation.
-- A generation is used only while no insert touched its day afterwards
-- (endpoint_usage_day_inserts); otherwise that day is read from endpoint_usage FINAL.

CREATE TABLE IF NOT EXISTS endpoint_usage_day_inserts
(
    day Date,
    last_inserted SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
ORDER BY day;

CREATE MATERIALIZED VIEW IF NOT EXISTS endpoint_usage_day_inserts_mv TO endpoint_usage_day_inserts AS
SELECT toDate(timestamp) AS day, max(now64(3)) AS last_inserted
FROM endpoint_usage
GROUP BY day;

-- Rows stored before this migration count as inserted now: their days are rolled up afresh.
INSERT INTO endpoint_usage_day_inserts
SELECT toDate(timestamp) AS day, max(now64(3)) AS last_inserted
FROM endpoint_usage
GROUP BY day;

CREATE TABLE IF NOT EXISTS endpoint_usage_days
(
    day Date,
    generation DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (day, generation);

CREATE TABLE IF NOT EXISTS endpoint_usage_daily
(
    day Date,
    generation DateTime64(3, 'UTC'),
    service_name LowCardinality(String),
    endpoint String,
    method LowCardinality(String),
    calls UInt64,
    errors UInt64,
    total_ms Float64,
    durations AggregateFunction(quantiles(0.5, 0.95, 0.99), Float64)
)
ENGINE = MergeTree
ORDER BY (day, generation, service_name, endpoint, method);
