import { Body, Controller, Headers, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Access, WithErrorBodyExtras, clientIpOf } from '@th/platform';
import { type DevLakeBody, devlakeBody, devlakeErrorFields } from '../connections/devlake-body';
import { parseConnectionId } from '../connections/connection-errors';
import { devlakeRoutes } from '../connections/devlake-paths';
import { ReportIngestService } from './report-ingest.service';

/**
 * `POST .../plugins/developer_telemetry/connections/:connectionId/report`, as the DevLake plugin
 * serves it, under every prefix an installation uses (its collector posts to `/api/rest/...`).
 */
@Controller(devlakeRoutes('connections'))
@WithErrorBodyExtras(devlakeErrorFields)
// A report carries its connection's own token or key (DevLake's rules), checked by the service.
@Access('own-credential')
export class ReportController {
  constructor(private readonly reports: ReportIngestService) {}

  @Post(':connectionId/report')
  @HttpCode(200)
  async report(
    @Param('connectionId') connectionId: string,
    @Headers('authorization') authorization: string | undefined,
    @Req() request: FastifyRequest,
    @Body() body: unknown,
  ): Promise<DevLakeBody> {
    await this.reports.ingest(
      parseConnectionId(connectionId),
      { authorization, url: request.url, clientIp: clientIpOf(request) },
      body,
    );
    return devlakeBody('telemetry data received successfully');
  }
}
