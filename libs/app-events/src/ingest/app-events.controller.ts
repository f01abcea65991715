import { Body, Controller, Headers, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Access, clientIpOf, RateLimitGuard } from '@th/platform';
import { AppEventIngestService, type IngestResult } from './app-event-ingest.service';

/** `POST /t`: jwc.v1 app usage events, one or a batch, exactly as existing clients send them. */
@Controller()
@Access('ingest')
export class AppEventsController {
  constructor(private readonly ingest: AppEventIngestService) {}

  @Post('t')
  @HttpCode(200)
  @UseGuards(RateLimitGuard)
  track(
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<IngestResult> {
    return this.ingest.ingest(body, {
      clientIp: clientIpOf(request),
      idempotencyKey: idempotencyKey || undefined,
    });
  }
}
