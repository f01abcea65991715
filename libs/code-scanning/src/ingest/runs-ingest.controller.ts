import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { Access, RendersErrorsWith } from '@th/platform';
import { renderDashboardError } from '../contract/dashboard-error-body';
import { type RunAccepted, RunIngestService } from './run-ingest.service';

/** `POST /api/runs`: the action posts its run file here instead of (or besides) committing it. */
@Controller('api')
@Access('ingest')
@RendersErrorsWith(renderDashboardError)
export class RunsIngestController {
  constructor(private readonly runs: RunIngestService) {}

  @Post('runs')
  @HttpCode(200)
  push(
    @Body() body: unknown,
    @Headers('authorization') authorization: string | undefined,
  ): Promise<RunAccepted> {
    this.runs.checkToken(authorization);
    return this.runs.push(body);
  }
}
