-- Distinct users per hour of the day: one row per (day, hour, user), like app_users_daily, so a
-- duplicate event adds no user. Filled by a view on every insert, and once here from the events
-- stored before it (a row inserted meanwhile by both is the same row: counted once).
CREATE TABLE IF NOT EXISTS app_users_hourly
(
    day Date,
    hour UInt8,
    user_key UInt64
)
ENGINE = ReplacingMergeTree
ORDER BY (day, hour, user_key);

CREATE MATERIALIZED VIEW IF NOT EXISTS app_users_hourly_mv TO app_users_hourly AS
SELECT DISTINCT toDate(ts) AS day, toHour(ts) AS hour, user_key
FROM app_events;

INSERT INTO app_users_hourly SELECT DISTINCT toDate(ts), toHour(ts), user_key FROM app_events;
