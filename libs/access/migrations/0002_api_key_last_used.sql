-- When a request last used each key (to the minute), shown in the key list.
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS last_used_at Nullable(DateTime64(3, 'UTC'));
