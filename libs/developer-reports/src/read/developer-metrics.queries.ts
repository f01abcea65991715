/**
 * The SQL behind developer metrics reads. Every read goes through FINAL, so a resent report is
 * counted once even before ClickHouse merges its parts. Filters are bound parameters; a NULL
 * parameter means "no filter".
 */
const FILTERED_REPORTS = `
  SELECT connection_id, developer_id, date, email, name, hostname, active_hours, tools_used,
         project_context, command_counts, os_info, received_at, has_git_activity, total_commits,
         total_lines_added, total_lines_deleted, total_files_changed, repositories,
         has_development_activity, test_runs_detected, build_commands_detected
  FROM developer_metrics FINAL
  WHERE ({connectionId:Nullable(UInt64)} IS NULL OR connection_id = {connectionId:Nullable(UInt64)})
    AND ({developer:Nullable(String)} IS NULL OR developer_id = {developer:Nullable(String)})
    AND date >= {from:Date} AND date <= {to:Date}`;

export const LIST_DEVELOPER_METRICS = `
  SELECT connection_id, developer_id, toString(date) AS date, email, name, hostname, active_hours,
         tools_used, project_context, command_counts, os_info,
         toUnixTimestamp64Milli(received_at) AS received_at, has_git_activity, total_commits,
         total_lines_added, total_lines_deleted, total_files_changed, repositories,
         has_development_activity, test_runs_detected, build_commands_detected
  FROM (${FILTERED_REPORTS})
  ORDER BY date DESC, connection_id, developer_id
  LIMIT {limit:UInt32} OFFSET {offset:UInt32}`;

export const COUNT_DEVELOPER_METRICS = `SELECT count() AS total FROM (${FILTERED_REPORTS})`;

/**
 * Days, hours and activity per developer; a developer reported through two connections is one
 * developer. A day's hours count at most 24 (the collector can count a day twice); such days are
 * counted on their own.
 */
export const SUMMARIZE_DEVELOPERS = `
  SELECT developer_id, uniqExact(connection_id, date) AS days_reported,
         sum(least(active_hours, 24)) AS total_active_hours,
         avg(least(active_hours, 24)) AS average_active_hours,
         countIf(active_hours > 24) AS implausible_days,
         sum(total_commits) AS total_commits, sum(total_lines_added) AS total_lines_added,
         sum(total_lines_deleted) AS total_lines_deleted, sum(total_files_changed) AS total_files_changed,
         sum(test_runs_detected) AS test_runs_detected, sum(build_commands_detected) AS build_commands_detected
  FROM (${FILTERED_REPORTS})
  GROUP BY developer_id
  ORDER BY developer_id
  LIMIT {limit:UInt32} OFFSET {offset:UInt32}`;

export const COUNT_DEVELOPERS = `SELECT uniqExact(developer_id) AS total FROM (${FILTERED_REPORTS})`;

/** Tools and projects count the days they were reported on; commands sum their counts. */
export const TOP_TOOLS = `
  SELECT developer_id, tool AS name, uniqExact(connection_id, date) AS count
  FROM (${FILTERED_REPORTS}) ARRAY JOIN tools_used AS tool
  WHERE developer_id IN {developers:Array(String)}
  GROUP BY developer_id, name ORDER BY developer_id, count DESC, name LIMIT {top:UInt32} BY developer_id`;

export const TOP_PROJECTS = `
  SELECT developer_id, project AS name, uniqExact(connection_id, date) AS count
  FROM (${FILTERED_REPORTS}) ARRAY JOIN project_context AS project
  WHERE developer_id IN {developers:Array(String)}
  GROUP BY developer_id, name ORDER BY developer_id, count DESC, name LIMIT {top:UInt32} BY developer_id`;

export const TOP_COMMANDS = `
  SELECT developer_id, command AS name, sum(uses) AS count
  FROM (${FILTERED_REPORTS})
  ARRAY JOIN mapKeys(command_counts) AS command, mapValues(command_counts) AS uses
  WHERE developer_id IN {developers:Array(String)}
  GROUP BY developer_id, name ORDER BY developer_id, count DESC, name LIMIT {top:UInt32} BY developer_id`;

/** Repositories ranked by the commits made in them. */
export const TOP_REPOSITORIES = `
  SELECT developer_id, tupleElement(repo, 'name') AS name, sum(tupleElement(repo, 'commits')) AS count
  FROM (${FILTERED_REPORTS}) ARRAY JOIN repositories AS repo
  WHERE developer_id IN {developers:Array(String)}
  GROUP BY developer_id, name ORDER BY developer_id, count DESC, name LIMIT {top:UInt32} BY developer_id`;
