import { Inject, Injectable } from '@nestjs/common';
import { EVENT_BUS, type EventBus } from '@th/bus';
import type { Envelope } from '@th/contracts';
import { ValidationFailedError, compileSchema, counter } from '@th/platform';
import { ConnectionsService } from '../connections/connections.service';
import {
  DEVELOPER_REPORT_KIND,
  DeveloperReportSchema,
  type DeveloperReportPayload,
  developerReportId,
} from '../contract/developer-report.schema';

const validateReport = compileSchema(DeveloperReportSchema);

const acceptedReports = counter('developer_reports_accepted_total', 'DevLake daily reports acknowledged');

/** Accepts a DevLake daily report: authorise, validate, publish; resolves once it is durable. */
@Injectable()
export class ReportIngestService {
  constructor(
    private readonly connections: ConnectionsService,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
  ) {}

  async ingest(connectionId: number, authorization: string | undefined, body: unknown): Promise<void> {
    await this.connections.authorizeReport(connectionId, authorization);
    const checked = validateReport(body);
    if (!checked.ok) throw new ValidationFailedError(checked.errors);
    const report = checked.value;
    const envelope: Envelope<DeveloperReportPayload> = {
      id: developerReportId(connectionId, report.developer, report.date),
      kind: DEVELOPER_REPORT_KIND,
      source: `devlake/connections/${connectionId}`,
      key: `${connectionId}/${report.developer}`,
      receivedAt: new Date().toISOString(),
      schemaVersion: 1,
      payload: { connectionId, report },
    };
    await this.bus.publish([envelope]);
    acceptedReports.inc();
  }
}
