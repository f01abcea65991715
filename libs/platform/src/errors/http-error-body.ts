import { isNativeError } from 'node:util/types';
import {
  DomainError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  BadRequestError,
} from './domain-error';

/**
 * The JSON error body of every HTTP route. `success: false` and `message` keep the DevLake plugin's
 * shape; `error` is a stable code; `details` add what the client needs (for example `errors`).
 */
export interface HttpErrorBody {
  success: false;
  error: string;
  message: string;
  [detail: string]: unknown;
}

export interface HttpErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: HttpErrorBody;
}

/** Fastify's own error codes for bodies it refuses before our code runs. */
const FASTIFY_BODY_ERRORS: Record<string, (message: string) => DomainError> = {
  FST_ERR_CTP_BODY_TOO_LARGE: () => new PayloadTooLargeError('request body is larger than the allowed limit'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () =>
    new UnsupportedMediaTypeError('unsupported Content-Type: send the body as application/json'),
  FST_ERR_CTP_INVALID_JSON_BODY: (message) =>
    new BadRequestError(`request body is not valid JSON: ${message}`),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => new BadRequestError('request body is empty: a JSON object is required'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () =>
    new BadRequestError('Content-Length does not match the length of the body'),
};

/** Maps any thrown value to the response the client gets; unknown errors become a bare 500. */
export function toHttpErrorResponse(error: unknown): HttpErrorResponse {
  const domainError = asDomainError(error);
  if (domainError) {
    return {
      status: domainError.status,
      headers: domainError.headers,
      body: { success: false, error: domainError.code, message: domainError.message, ...domainError.details },
    };
  }
  return {
    status: 500,
    headers: {},
    body: { success: false, error: 'internal', message: 'internal error; the request was not accepted' },
  };
}

export function asDomainError(error: unknown): DomainError | undefined {
  if (error instanceof DomainError) return error;
  // isNativeError also knows errors made in another realm (Node's own zlib and socket errors under a VM).
  if (error instanceof Error || isNativeError(error)) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code in FASTIFY_BODY_ERRORS)
      return FASTIFY_BODY_ERRORS[code](error.message);
    if (error instanceof SyntaxError)
      return new BadRequestError(`request body is not valid JSON: ${error.message}`);
    // The client went away (or was cut off by a timeout) before its body arrived: not our failure.
    if (code === 'ECONNRESET' || error.message === 'aborted') {
      return new BadRequestError('the request was aborted before its body arrived');
    }
    if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR') {
      return new BadRequestError('request body is not valid gzip data (Content-Encoding: gzip)');
    }
  }
  return undefined;
}
