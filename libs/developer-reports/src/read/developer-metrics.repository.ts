import { Inject, Injectable } from '@nestjs/common';
import type { ClickHouseClient } from '@clickhouse/client';
import type { PageRequest } from '@th/platform';
import { CLICKHOUSE, queryRows } from '@th/store';
import {
  COUNT_DEVELOPERS,
  COUNT_DEVELOPER_METRICS,
  LIST_DEVELOPER_METRICS,
  SUMMARIZE_DEVELOPERS,
  TOP_COMMANDS,
  TOP_PROJECTS,
  TOP_REPOSITORIES,
  TOP_TOOLS,
} from './developer-metrics.queries';

export interface DeveloperMetricsFilter {
  connectionId?: number;
  developer?: string;
  /** Inclusive, YYYY-MM-DD. */
  from?: string;
  /** Inclusive, YYYY-MM-DD. */
  to?: string;
}

export interface DeveloperMetricRecord {
  connectionId: number;
  developerId: string;
  date: string;
  email: string;
  name: string;
  hostname: string;
  activeHours: number;
  toolsUsed: string[];
  projectContext: string[];
  commandCounts: { name: string; count: number }[];
  osInfo: string;
  receivedAt: string;
  /** Null when the report had no `git_activity` (older collectors). */
  gitActivity: GitActivityRecord | null;
  /** Null when the report had no `development_activity`. */
  developmentActivity: { testRunsDetected: number; buildCommandsDetected: number } | null;
}

export interface RepositoryActivityRecord {
  name: string;
  path: string;
  commits: number;
  linesAdded: number;
  linesDeleted: number;
  filesChanged: number;
  branchesWorked: string[];
}

export interface GitActivityRecord {
  totalCommits: number;
  totalLinesAdded: number;
  totalLinesDeleted: number;
  totalFilesChanged: number;
  repositories: RepositoryActivityRecord[];
}

export interface NameCount {
  name: string;
  count: number;
}

export interface DeveloperSummaryRecord {
  developerId: string;
  daysReported: number;
  totalActiveHours: number;
  averageActiveHours: number;
  implausibleDays: number;
  totalCommits: number;
  totalLinesAdded: number;
  totalLinesDeleted: number;
  totalFilesChanged: number;
  testRunsDetected: number;
  buildCommandsDetected: number;
  topTools: NameCount[];
  topCommands: NameCount[];
  topProjects: NameCount[];
  topRepositories: NameCount[];
}

interface MetricRow {
  connection_id: string;
  developer_id: string;
  date: string;
  email: string;
  name: string;
  hostname: string;
  active_hours: number;
  tools_used: string[];
  project_context: string[];
  command_counts: Record<string, string>;
  os_info: string;
  /** Milliseconds since the epoch. */
  received_at: string;
  has_git_activity: number;
  /** 64-bit counts arrive quoted. */
  total_commits: string;
  total_lines_added: string;
  total_lines_deleted: string;
  total_files_changed: string;
  repositories: {
    name: string;
    path: string;
    commits: string;
    lines_added: string;
    lines_deleted: string;
    files_changed: string;
    branches_worked: string[];
  }[];
  has_development_activity: number;
  test_runs_detected: string;
  build_commands_detected: string;
}

interface SummaryRow {
  developer_id: string;
  days_reported: string;
  total_active_hours: number;
  average_active_hours: number;
  implausible_days: string;
  total_commits: string;
  total_lines_added: string;
  total_lines_deleted: string;
  total_files_changed: string;
  test_runs_detected: string;
  build_commands_detected: string;
}

interface RankedRow {
  developer_id: string;
  name: string;
  count: string;
}

/** Exact reads of `developer_metrics` (FINAL), for GraphQL. */
@Injectable()
export class DeveloperMetricsRepository {
  constructor(@Inject(CLICKHOUSE) private readonly client: ClickHouseClient) {}

  async list(
    filter: DeveloperMetricsFilter,
    page: PageRequest,
  ): Promise<{ items: DeveloperMetricRecord[]; total: number }> {
    const params = { ...filterParams(filter), ...page };
    const [rows, total] = await Promise.all([
      queryRows<MetricRow>(this.client, LIST_DEVELOPER_METRICS, params),
      this.total(COUNT_DEVELOPER_METRICS, params),
    ]);
    return { items: rows.map(toMetricRecord), total };
  }

  async summarize(
    filter: DeveloperMetricsFilter,
    page: PageRequest,
    top: number,
  ): Promise<{ items: DeveloperSummaryRecord[]; total: number }> {
    const params = { ...filterParams(filter), ...page };
    const [summaries, total] = await Promise.all([
      queryRows<SummaryRow>(this.client, SUMMARIZE_DEVELOPERS, params),
      this.total(COUNT_DEVELOPERS, params),
    ]);
    const ranked = { ...params, developers: summaries.map((s) => s.developer_id), top };
    const [tools, commands, projects, repositories] = await Promise.all(
      [TOP_TOOLS, TOP_COMMANDS, TOP_PROJECTS, TOP_REPOSITORIES].map(async (query) =>
        groupByDeveloper(await queryRows<RankedRow>(this.client, query, ranked)),
      ),
    );
    const items = summaries.map((s) => ({
      developerId: s.developer_id,
      daysReported: Number(s.days_reported),
      totalActiveHours: s.total_active_hours,
      averageActiveHours: s.average_active_hours,
      implausibleDays: Number(s.implausible_days),
      totalCommits: Number(s.total_commits),
      totalLinesAdded: Number(s.total_lines_added),
      totalLinesDeleted: Number(s.total_lines_deleted),
      totalFilesChanged: Number(s.total_files_changed),
      testRunsDetected: Number(s.test_runs_detected),
      buildCommandsDetected: Number(s.build_commands_detected),
      topTools: tools.get(s.developer_id) ?? [],
      topCommands: commands.get(s.developer_id) ?? [],
      topProjects: projects.get(s.developer_id) ?? [],
      topRepositories: repositories.get(s.developer_id) ?? [],
    }));
    return { items, total };
  }

  private async total(query: string, params: Record<string, unknown>): Promise<number> {
    const [row] = await queryRows<{ total: string }>(this.client, query, params);
    return Number(row?.total ?? 0);
  }
}

function filterParams(filter: DeveloperMetricsFilter): Record<string, unknown> {
  return {
    connectionId: filter.connectionId ?? null,
    developer: filter.developer ?? null,
    from: filter.from ?? '1970-01-01',
    to: filter.to ?? '2149-06-06',
  };
}

function toMetricRecord(row: MetricRow): DeveloperMetricRecord {
  return {
    connectionId: Number(row.connection_id),
    developerId: row.developer_id,
    date: row.date,
    email: row.email,
    name: row.name,
    hostname: row.hostname,
    activeHours: row.active_hours,
    toolsUsed: row.tools_used,
    projectContext: row.project_context,
    commandCounts: Object.entries(row.command_counts)
      .map(([name, count]) => ({ name, count: Number(count) }))
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
    osInfo: row.os_info,
    receivedAt: new Date(Number(row.received_at)).toISOString(),
    gitActivity: row.has_git_activity
      ? {
          totalCommits: Number(row.total_commits),
          totalLinesAdded: Number(row.total_lines_added),
          totalLinesDeleted: Number(row.total_lines_deleted),
          totalFilesChanged: Number(row.total_files_changed),
          repositories: row.repositories.map((repo) => ({
            name: repo.name,
            path: repo.path,
            commits: Number(repo.commits),
            linesAdded: Number(repo.lines_added),
            linesDeleted: Number(repo.lines_deleted),
            filesChanged: Number(repo.files_changed),
            branchesWorked: repo.branches_worked,
          })),
        }
      : null,
    developmentActivity: row.has_development_activity
      ? {
          testRunsDetected: Number(row.test_runs_detected),
          buildCommandsDetected: Number(row.build_commands_detected),
        }
      : null,
  };
}

function groupByDeveloper(rows: RankedRow[]): Map<string, NameCount[]> {
  const grouped = new Map<string, NameCount[]>();
  for (const row of rows) {
    const list = grouped.get(row.developer_id) ?? [];
    list.push({ name: row.name, count: Number(row.count) });
    grouped.set(row.developer_id, list);
  }
  return grouped;
}
