-- The DevLake collector's git and development activity (its git_activity and development_activity
-- objects). Added columns default to "not reported", so existing rows and data directories keep working.
ALTER TABLE developer_metrics
    ADD COLUMN IF NOT EXISTS has_git_activity UInt8 DEFAULT 0,
    ADD COLUMN IF NOT EXISTS total_commits UInt64 DEFAULT 0,
    ADD COLUMN IF NOT EXISTS total_lines_added UInt64 DEFAULT 0,
    ADD COLUMN IF NOT EXISTS total_lines_deleted UInt64 DEFAULT 0,
    ADD COLUMN IF NOT EXISTS total_files_changed UInt64 DEFAULT 0,
    ADD COLUMN IF NOT EXISTS repositories Array(Tuple(
        name String, path String, commits UInt64, lines_added UInt64, lines_deleted UInt64,
        files_changed UInt64, branches_worked Array(String))),
    ADD COLUMN IF NOT EXISTS has_development_activity UInt8 DEFAULT 0,
    ADD COLUMN IF NOT EXISTS test_runs_detected UInt64 DEFAULT 0,
    ADD COLUMN IF NOT EXISTS build_commands_detected UInt64 DEFAULT 0;
