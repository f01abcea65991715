-- OpenTelemetry spans received over OTLP, and the three analytics tables of the telemetry processor
-- we replace. A span's identity is (trace_id, span_id): every key below ends with it, and its other
-- columns are functions of the span, so a resent or redelivered span replaces itself and every read
-- uses FINAL. First write wins (the row received first has the highest version).
-- user.id, organization.id and enduser.id are hashed by the gateway before anything is published;
-- the raw ids are in no table, attribute map or topic.

-- Every span, as a tree can be drawn from it. Keyed by service and day for the lists; a trace is
-- found through the bloom filter on trace_id.
CREATE TABLE IF NOT EXISTS spans
(
    trace_id String,
    span_id String,
    -- Empty for a root span.
    parent_span_id String,
    name String,
    -- SPAN_KIND_* without the prefix: UNSPECIFIED, INTERNAL, SERVER, CLIENT, PRODUCER, CONSUMER.
    kind LowCardinality(String),
    start_time DateTime64(9, 'UTC'),
    end_time DateTime64(9, 'UTC'),
    duration_ns UInt64,
    -- UNSET, OK or ERROR.
    status_code LowCardinality(String),
    status_message String,
    service_name LowCardinality(String),
    scope_name LowCardinality(String),
    scope_version LowCardinality(String),
    -- Attribute values as text: strings as they are, other values as JSON.
    resource_attributes Map(LowCardinality(String), String),
    attributes Map(LowCardinality(String), String),
    -- JSON arrays: [{time_unix_nano, name, attributes}] and [{trace_id, span_id, attributes}].
    events String,
    links String,
    -- The analytics tables the router sent the span to (empty when no rule matched).
    routed_to Array(LowCardinality(String)),
    received_at DateTime64(3, 'UTC'),
    version UInt64,
    INDEX spans_trace_id trace_id TYPE bloom_filter(0.001) GRANULARITY 1
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(start_time)
ORDER BY (service_name, toDate(start_time), trace_id, span_id)
SETTINGS non_replicated_deduplication_window = 1000;

-- Logins, logouts and other user events (event.category = user_activity).
CREATE TABLE IF NOT EXISTS user_activity
(
    trace_id String,
    span_id String,
    service_name LowCardinality(String),
    -- sha256(id) hex, first 16 characters (or the keyed hash with OTEL_ID_HASH=hmac); empty when absent.
    user_id String,
    organization_id String,
    event_type LowCardinality(String),
    session_id String,
    deployment_type LowCardinality(String),
    timestamp DateTime64(9, 'UTC'),
    -- JSON object: the merged attributes minus those mapped to columns.
    event_metadata String,
    received_at DateTime64(3, 'UTC'),
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(timestamp)
ORDER BY (service_name, toDate(timestamp), trace_id, span_id)
SETTINGS non_replicated_deduplication_window = 1000;

-- One row per served request (event.category = endpoint_usage, or an HTTP server span).
CREATE TABLE IF NOT EXISTS endpoint_usage
(
    trace_id String,
    span_id String,
    service_name LowCardinality(String),
    user_id String,
    organization_id String,
    endpoint String,
    method LowCardinality(String),
    -- 0 when the span carried no status code.
    status_code UInt16,
    duration_ms Float64,
    deployment_type LowCardinality(String),
    timestamp DateTime64(9, 'UTC'),
    event_metadata String,
    received_at DateTime64(3, 'UTC'),
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(timestamp)
ORDER BY (service_name, toDate(timestamp), trace_id, span_id)
SETTINGS non_replicated_deduplication_window = 1000;

-- One row per feature use (event.category = feature_usage, or a span with feature.name).
CREATE TABLE IF NOT EXISTS feature_usage
(
    trace_id String,
    span_id String,
    service_name LowCardinality(String),
    user_id String,
    organization_id String,
    feature_name String,
    action LowCardinality(String),
    deployment_type LowCardinality(String),
    timestamp DateTime64(9, 'UTC'),
    event_metadata String,
    received_at DateTime64(3, 'UTC'),
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(timestamp)
ORDER BY (service_name, toDate(timestamp), trace_id, span_id)
SETTINGS non_replicated_deduplication_window = 1000;
