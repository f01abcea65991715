import { DomainError } from '@th/platform';

/** The longest wait a rate-limited answer asks of the client (GitHub's window is an hour). */
export const MAX_RETRY_AFTER_SECONDS = 3_600;

/** GitHub's advice when a rate limit names no wait: at least a minute. */
export const DEFAULT_RATE_LIMIT_WAIT_SECONDS = 60;

/**
 * A call to GitHub or the session service that did not give what the hub needs. The message names
 * the service and what to do about it; it never carries a credential or a request header, and
 * names a path without its query string (a raw download URL can carry a token there).
 */
export abstract class OutsideError extends DomainError {
  /** Whether the same call can succeed later without anyone changing anything. */
  abstract readonly retriable: boolean;

  constructor(
    /** 'GitHub' or 'the session service'. */
    readonly service: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The service refused the hub's credentials: someone must fix the token or key. */
export class OutsideAuthError extends OutsideError {
  readonly code = 'outside_auth_refused';
  readonly status = 502;
  readonly retriable = false;

  constructor(
    service: string,
    credentialVar: string,
    /** The status the service answered (401, or 403 without rate-limit headers). */
    readonly upstreamStatus: number,
  ) {
    super(service, `${service} refused the credentials (${upstreamStatus}): check ${credentialVar}`);
  }
}

/** The service asked the hub to slow down; the client is told how long to wait. */
export class OutsideRateLimitedError extends OutsideError {
  readonly code = 'outside_rate_limited';
  readonly status = 503;
  readonly retriable = true;
  /** Seconds to wait, at least 1 and at most {@link MAX_RETRY_AFTER_SECONDS}. */
  readonly retryAfterSeconds: number;

  constructor(service: string, waitSeconds: number) {
    const seconds = clampWaitSeconds(waitSeconds);
    super(service, `${service} rate-limited the hub's calls: try again in ${seconds} s`);
    this.retryAfterSeconds = seconds;
    this.headers['Retry-After'] = String(seconds);
    this.details.retry_after_seconds = seconds;
  }
}

/** 5xx answers or network errors, on every attempt. */
export class OutsideUnavailableError extends OutsideError {
  readonly code = 'outside_unavailable';
  readonly status = 502;
  readonly retriable = true;

  constructor(service: string, reason: string, attempts: number) {
    super(service, `${service} is unavailable (${reason}, ${attempts} ${plural(attempts)}): try again later`);
  }
}

/** No answer within the timeout, on every attempt. */
export class OutsideTimeoutError extends OutsideError {
  readonly code = 'outside_timeout';
  readonly status = 504;
  readonly retriable = true;

  constructor(service: string, timeoutMs: number, attempts: number) {
    super(
      service,
      `${service} did not answer within ${timeoutMs} ms (${attempts} ${plural(attempts)}): try again later`,
    );
  }
}

/** A 4xx the hub cannot fix by waiting, or a body that is not what the service documents. */
export class OutsideBadAnswerError extends OutsideError {
  readonly code = 'outside_bad_answer';
  readonly status = 502;
  readonly retriable = false;

  constructor(
    service: string,
    /** What was wrong, e.g. `answered 404 for /repos/o/r/pulls`. */
    problem: string,
    /** What the user should do about it. */
    advice: string,
    /** The HTTP status the service answered, when the problem is a status. */
    readonly upstreamStatus?: number,
  ) {
    super(service, `${service} ${problem}: ${advice}`);
  }
}

/**
 * Whole seconds in [1, {@link MAX_RETRY_AFTER_SECONDS}]; a reset already past still waits 1 s, and
 * an unreadable wait is GitHub's advice for a limit that names none (a minute).
 */
export function clampWaitSeconds(seconds: number): number {
  if (Number.isNaN(seconds)) return DEFAULT_RATE_LIMIT_WAIT_SECONDS;
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(seconds)));
}

function plural(attempts: number): string {
  return attempts === 1 ? 'attempt' : 'attempts';
}
