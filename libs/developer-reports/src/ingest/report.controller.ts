import { Body, Controller, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { parseConnectionId } from '../connections/connection-errors';
import { ReportIngestService } from './report-ingest.service';

/** `POST /plugins/developer_telemetry/connections/:connectionId/report`, as the DevLake plugin serves it. */
@Controller('plugins/developer_telemetry/connections')
export class ReportController {
  constructor(private readonly reports: ReportIngestService) {}

  @Post(':connectionId/report')
  @HttpCode(200)
  async report(
    @Param('connectionId') connectionId: string,
    @Headers('authorization') authorization: string | undefined,
    @Body() body: unknown,
  ): Promise<{ success: true; message: string }> {
    await this.reports.ingest(parseConnectionId(connectionId), authorization, body);
    return { success: true, message: 'telemetry data received successfully' };
  }
}
