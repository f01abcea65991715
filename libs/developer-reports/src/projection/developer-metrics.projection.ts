import type { Envelope } from '@th/contracts';
import { compileSchema } from '@th/platform';
import { type Projection, type TableRow, rowVersion } from '@th/projection';
import {
  DEVELOPER_REPORT_KIND,
  type DeveloperReportPayload,
  DeveloperReportPayloadSchema,
} from '../contract/developer-report.schema';

/** A daily report becomes one `developer_metrics` row; the latest received wins on read. */
export const developerMetricsProjection: Projection<DeveloperReportPayload> = {
  kind: DEVELOPER_REPORT_KIND,
  validatePayload: compileSchema(DeveloperReportPayloadSchema),
  project(envelope: Envelope<DeveloperReportPayload>): TableRow[] {
    const { connectionId, report } = envelope.payload;
    const metrics = report.metrics ?? {};
    const git = metrics.git_activity;
    const development = metrics.development_activity;
    return [
      {
        table: 'developer_metrics',
        // PARTITION BY toYYYYMM(date).
        partition: report.date.slice(0, 7),
        row: {
          connection_id: connectionId,
          developer_id: report.developer,
          date: report.date,
          email: report.email ?? '',
          name: report.name ?? '',
          hostname: report.hostname ?? '',
          // As sent: a day over 24 hours is the collector's double count, clipped only in summaries.
          active_hours: metrics.active_hours ?? 0,
          tools_used: metrics.tools_used ?? [],
          project_context: metrics.projects ?? [],
          command_counts: Object.fromEntries(
            Object.entries(metrics.commands ?? {}).map(([command, uses]) => [command, whole(uses)]),
          ),
          has_git_activity: git ? 1 : 0,
          total_commits: whole(git?.total_commits),
          total_lines_added: whole(git?.total_lines_added),
          total_lines_deleted: whole(git?.total_lines_deleted),
          total_files_changed: whole(git?.total_files_changed),
          // Array of named tuples: JSON input reads each as an object with the tuple's names.
          repositories: (git?.repositories ?? []).map((repo) => ({
            name: repo.name ?? '',
            path: repo.path ?? '',
            commits: whole(repo.commits),
            lines_added: whole(repo.lines_added),
            lines_deleted: whole(repo.lines_deleted),
            files_changed: whole(repo.files_changed),
            branches_worked: repo.branches_worked ?? [],
          })),
          has_development_activity: development ? 1 : 0,
          test_runs_detected: whole(development?.test_runs_detected),
          build_commands_detected: whole(development?.build_commands_detected),
          os_info: report.os_info ?? '',
          received_at: envelope.receivedAt,
          version: rowVersion(envelope.receivedAt, envelope.payload),
        },
      },
    ];
  },
};

/** A count as DevLake stores it: an integer, a fraction truncated; absent is 0. */
function whole(value: number | undefined): number {
  return Math.trunc(value ?? 0);
}
