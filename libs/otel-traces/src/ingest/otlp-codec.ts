import { join } from 'node:path';
import { BadRequestError } from '@th/platform';
import * as protobuf from 'protobufjs';
import type { OtlpExportRequest } from '../contract/otlp-request.schema';

/** The vendored official definitions (libs/otel-traces/proto, copied next to the compiled code). */
const PROTO_DIR = join(__dirname, '..', '..', 'proto');

function loadRoot(): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(PROTO_DIR, target);
  root.loadSync(['opentelemetry/proto/collector/trace/v1/trace_service.proto', 'google/rpc/status.proto']);
  root.resolveAll();
  return root;
}

const root = loadRoot();
const ExportRequest = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
const ExportResponse = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse');
const RpcStatus = root.lookupType('google.rpc.Status');

/** The OTLP service's full method name (gRPC path without the leading slash). */
export const TRACE_SERVICE_EXPORT = 'opentelemetry.proto.collector.trace.v1.TraceService/Export';

/** The body could not be decoded as an `ExportTraceServiceRequest`. */
export class UndecodableRequestError extends BadRequestError {
  constructor(reason: string) {
    super(`the body is not a valid protobuf ExportTraceServiceRequest: ${reason}`);
  }
}

/** Wire-format request → the OTLP/JSON shape (ids as hex, 64-bit integers as decimal text). */
export function decodeExportRequest(bytes: Uint8Array): OtlpExportRequest {
  let message: protobuf.Message;
  try {
    message = ExportRequest.decode(bytes);
  } catch (error) {
    throw new UndecodableRequestError(error instanceof Error ? error.message : String(error));
  }
  const request = ExportRequest.toObject(message, { longs: String, enums: Number, bytes: String });
  hexIds(request);
  return request;
}

/** proto3 JSON writes bytes as base64; OTLP/JSON writes trace and span ids as hex. */
function hexIds(request: { [key: string]: unknown }): void {
  for (const resourceSpans of (request.resourceSpans as Record<string, unknown>[] | undefined) ?? []) {
    for (const scopeSpans of (resourceSpans.scopeSpans as Record<string, unknown>[] | undefined) ?? []) {
      for (const span of (scopeSpans.spans as Record<string, unknown>[] | undefined) ?? []) {
        toHex(span, 'traceId');
        toHex(span, 'spanId');
        toHex(span, 'parentSpanId');
        for (const link of (span.links as Record<string, unknown>[] | undefined) ?? []) {
          toHex(link, 'traceId');
          toHex(link, 'spanId');
        }
      }
    }
  }
}

function toHex(holder: Record<string, unknown>, field: string): void {
  const value = holder[field];
  if (typeof value === 'string') holder[field] = Buffer.from(value, 'base64').toString('hex');
}

/** The answer to an export, in protobuf. `rejectedSpans` 0 leaves partial_success out. */
export function encodeExportResponse(rejectedSpans: number, errorMessage: string): Uint8Array {
  return ExportResponse.encode(
    ExportResponse.fromObject(exportResponse(rejectedSpans, errorMessage)),
  ).finish();
}

/** The answer to an export, in OTLP/JSON. */
export function exportResponse(
  rejectedSpans: number,
  errorMessage: string,
): { partialSuccess?: { rejectedSpans: number; errorMessage: string } } {
  return rejectedSpans > 0 || errorMessage ? { partialSuccess: { rejectedSpans, errorMessage } } : {};
}

/** A `google.rpc.Status` (the OTLP/HTTP error body), in protobuf. */
export function encodeRpcStatus(code: number, message: string): Uint8Array {
  return RpcStatus.encode(RpcStatus.fromObject({ code, message, details: [] })).finish();
}
