-- Envelopes a projection could never store, kept with the reason (embedded mode's dead-letter queue;
-- the distributed mode uses the telemetry.dlq.v1 topic). Nothing accepted is dropped silently.
CREATE TABLE IF NOT EXISTS dead_letters
(
    envelope_id String,
    kind String,
    reason String,
    original String,
    failed_at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY failed_at;
