-- API keys, kept only as hashes. Mutable: issuing and revoking append a row with a higher version;
-- reads take the latest row per id (FINAL). The hash is what a request's key is looked up by.
CREATE TABLE IF NOT EXISTS api_keys
(
    id String,
    name String,
    key_hash String,
    scopes Array(String),
    allowed_path String,
    owner String,
    created_at DateTime64(3, 'UTC'),
    revoked_at Nullable(DateTime64(3, 'UTC')),
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY id;
