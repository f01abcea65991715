import { Inject, Injectable } from '@nestjs/common';
import { Value } from '@sinclair/typebox/value';
import { EVENT_BUS, type EventBus } from '@th/bus';
import type { Envelope } from '@th/contracts';
import { ValidationFailedError, compileSchema, counter, parseIsoTime } from '@th/platform';
import { DEVELOPER_REPORTS_SETTINGS, type DeveloperReportsConfig } from '../config';
import { ConnectionsService } from '../connections/connections.service';
import {
  DEVELOPER_REPORT_KIND,
  type DeveloperReport,
  DeveloperReportSchema,
  type DeveloperReportPayload,
  developerReportId,
  withoutNullFields,
} from '../contract/developer-report.schema';

const validateReport = compileSchema(DeveloperReportSchema);

const acceptedReports = counter('developer_reports_accepted_total', 'DevLake daily reports acknowledged');

const DAY_MS = 86_400_000;

/** How the report arrived: its credential and the path it was posted to (the key gate reads it). */
export interface ReportRequest {
  authorization: string | undefined;
  url: string;
  /** The client's address: wrong credentials are limited per client. */
  clientIp: string;
}

/** Accepts a DevLake daily report: authorise, validate, publish; resolves once it is durable. */
@Injectable()
export class ReportIngestService {
  constructor(
    private readonly connections: ConnectionsService,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(DEVELOPER_REPORTS_SETTINGS) private readonly config: DeveloperReportsConfig,
  ) {}

  async ingest(connectionId: number, request: ReportRequest, body: unknown): Promise<void> {
    await this.connections.authorizeReport(
      connectionId,
      request.authorization,
      request.url,
      request.clientIp,
    );
    const checked = validateReport(withoutNullFields(body));
    if (!checked.ok) throw new ValidationFailedError(checked.errors);
    // Unknown fields are accepted (newer collectors) but not carried: the log keeps what is used.
    const report = Value.Clean(DeveloperReportSchema, checked.value) as DeveloperReport;
    this.checkDay(report.date, Date.now());
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

  /**
   * A report's day is at most a day ahead of today in UTC (a collector in a later time zone is
   * already on tomorrow) and, with DEVLAKE_MAX_REPORT_AGE_DAYS, not older than that. Refused, never
   * clamped: a clamped day would overwrite another day's row.
   */
  private checkDay(date: string, now: number): void {
    const day = parseIsoTime(date) ?? Number.NaN;
    const today = Math.floor(now / DAY_MS) * DAY_MS;
    if (day > today + DAY_MS)
      throw new ValidationFailedError([
        {
          field: 'date',
          message: `is more than a day in the future: today is ${isoDay(today)} (UTC); send the day the activity happened, and check the sending machine's clock`,
        },
      ]);
    const maxAge = this.config.DEVLAKE_MAX_REPORT_AGE_DAYS;
    if (maxAge > 0 && day < today - maxAge * DAY_MS) {
      throw new ValidationFailedError([
        {
          field: 'date',
          message: `is more than ${maxAge} days old, the oldest this server accepts (DEVLAKE_MAX_REPORT_AGE_DAYS): the oldest day it takes is ${isoDay(today - maxAge * DAY_MS)}`,
        },
      ]);
    }
  }
}

function isoDay(millis: number): string {
  return new Date(millis).toISOString().slice(0, 10);
}
