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
          active_hours: report.metrics.active_hours ?? 0,
          tools_used: report.metrics.tools_used ?? [],
          project_context: report.metrics.projects ?? [],
          command_counts: report.metrics.commands ?? {},
          os_info: report.os_info ?? '',
          received_at: envelope.receivedAt,
          version: rowVersion(envelope.receivedAt, envelope.payload),
        },
      },
    ];
  },
};
