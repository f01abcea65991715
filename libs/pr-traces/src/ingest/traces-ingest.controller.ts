import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { TraceIngestService, type TraceIngestAnswer } from './trace-ingest.service';
import { Access } from '@th/platform';

/** `POST /ingest`: PR activity traces, in the flat and the nested shape IDE plugins send. */
@Controller()
@Access('ingest')
export class TracesIngestController {
  constructor(private readonly ingest: TraceIngestService) {}

  @Post('ingest')
  @HttpCode(200)
  post(@Body() body: unknown): Promise<TraceIngestAnswer> {
    return this.ingest.ingest(body);
  }
}
