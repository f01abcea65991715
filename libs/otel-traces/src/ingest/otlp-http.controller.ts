import { Body, Controller, Headers, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { AcceptsBinaryBody, Access, RendersErrorsWith } from '@th/platform';
import type { FastifyReply } from 'fastify';
import { type ExportKey, OTLP_EXPORT_KEY } from './api-key';
import { decodeExportRequest, encodeExportResponse, exportResponse } from './otlp-codec';
import { isProtobuf, renderOtlpError } from './otlp-error-body';
import { OtlpIngestService } from './otlp-ingest.service';

/**
 * OTLP/HTTP `POST /v1/traces`, as the OTLP specification defines it: protobuf or JSON (gzip
 * allowed), answered with an ExportTraceServiceResponse in the request's encoding.
 */
@Controller('v1')
@Access('ingest')
@RendersErrorsWith(renderOtlpError)
export class OtlpHttpController {
  constructor(
    private readonly ingest: OtlpIngestService,
    @Inject(OTLP_EXPORT_KEY) private readonly key: ExportKey,
  ) {}

  @Post('traces')
  @HttpCode(200)
  @AcceptsBinaryBody('application/x-protobuf')
  async traces(
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
    @Headers('x-api-key') apiKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer | object> {
    this.key.check(apiKey);
    if (isProtobuf(contentType)) {
      const outcome = await this.ingest.export(decodeExportRequest(body as Buffer), 'http', 'protobuf');
      void reply.type('application/x-protobuf');
      return Buffer.from(encodeExportResponse(outcome.rejectedSpans, outcome.errorMessage));
    }
    const outcome = await this.ingest.export(body, 'http', 'json');
    return exportResponse(outcome.rejectedSpans, outcome.errorMessage);
  }
}
