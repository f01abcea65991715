import type { HttpErrorResponse, RenderedError } from '@th/platform';
import type { FastifyRequest } from 'fastify';
import { encodeRpcStatus } from './otlp-codec';
import { grpcCodeOf } from './otlp-status';

/** OTLP/HTTP's two encodings; anything else is refused before the handler (415). */
export function isProtobuf(contentType: unknown): boolean {
  return (
    typeof contentType === 'string' && contentType.trim().toLowerCase().startsWith('application/x-protobuf')
  );
}

/**
 * OTLP/HTTP error bodies are a `google.rpc.Status` in the request's encoding. The JSON one keeps
 * the hub's fields beside `code` and `message` (a Status parser ignores them; a person reads them).
 */
export function renderOtlpError(response: HttpErrorResponse, request: FastifyRequest): RenderedError {
  const code = grpcCodeOf(response.status);
  const message =
    response.status === 415
      ? 'unsupported Content-Type: OTLP/HTTP takes application/x-protobuf or application/json'
      : response.body.message;
  if (isProtobuf(request.headers['content-type'])) {
    return { contentType: 'application/x-protobuf', payload: Buffer.from(encodeRpcStatus(code, message)) };
  }
  return {
    contentType: 'application/json',
    payload: JSON.stringify({ ...response.body, message, code, details: [] }),
  };
}
