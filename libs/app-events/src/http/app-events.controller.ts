import { Body, Controller, Headers, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppEventIngestService, type IngestResult } from '../ingest/app-event-ingest.service';
import { ClientIp } from './client-context';
import { RateLimitGuard } from './rate-limit.guard';

/** `POST /t`: jwc.v1 app usage events, one or a batch, exactly as existing clients send them. */
@Controller()
export class AppEventsController {
  constructor(
    private readonly ingest: AppEventIngestService,
    private readonly clientIp: ClientIp,
  ) {}

  @Post('t')
  @HttpCode(200)
  @UseGuards(RateLimitGuard)
  track(
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<IngestResult> {
    return this.ingest.ingest(body, {
      clientIp: this.clientIp.of(request),
      idempotencyKey: idempotencyKey || undefined,
    });
  }
}
