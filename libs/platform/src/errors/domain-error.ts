import type { FieldError } from '../validation/schema-validator';

/**
 * Every error a client can cause or must react to. Each carries a stable machine code, the
 * HTTP status it maps to, and a message that tells the client what to fix. The HTTP filter and
 * the GraphQL formatter map these exhaustively; anything else is an internal error.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
  /** Extra JSON fields merged into the error body (for example `errors` or `expected`). */
  readonly details: Record<string, unknown> = {};
  /** Extra HTTP response headers (for example `Retry-After`). */
  readonly headers: Record<string, string> = {};
}

export class ValidationFailedError extends DomainError {
  readonly code = 'validation_failed';
  readonly status = 400;
  constructor(
    readonly errors: FieldError[],
    message = `invalid request: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
  ) {
    super(message);
    this.details.errors = errors;
  }
}

export class BadRequestError extends DomainError {
  readonly code = 'bad_request';
  readonly status = 400;
}

export class NotFoundError extends DomainError {
  readonly code = 'not_found';
  readonly status = 404;
}

export class UnauthorizedError extends DomainError {
  readonly code = 'unauthorized';
  readonly status = 401;
  constructor(message = 'unauthorized') {
    super(message);
    this.headers['WWW-Authenticate'] = 'Bearer';
  }
}

/** The credential is known to be wrong for this request (unknown key, or one scoped elsewhere). */
export class ForbiddenError extends DomainError {
  readonly code = 'forbidden';
  readonly status = 403;
}

export class PayloadTooLargeError extends DomainError {
  readonly code = 'payload_too_large';
  readonly status = 413;
}

export class UnsupportedMediaTypeError extends DomainError {
  readonly code = 'unsupported_media_type';
  readonly status = 415;
}

/** The bus or the store cannot take the request right now; the client should retry later. */
export class ServiceUnavailableError extends DomainError {
  readonly code = 'unavailable';
  readonly status = 503;
  constructor(message: string, retryAfterSeconds = 5) {
    super(message);
    this.headers['Retry-After'] = String(retryAfterSeconds);
  }
}
