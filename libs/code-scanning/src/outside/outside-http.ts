import { setTimeout as sleep } from 'node:timers/promises';
import {
  DEFAULT_RATE_LIMIT_WAIT_SECONDS,
  OutsideAuthError,
  OutsideBadAnswerError,
  OutsideRateLimitedError,
  OutsideTimeoutError,
  OutsideUnavailableError,
  clampWaitSeconds,
} from './outside-errors';

export interface OutsideHttpOptions {
  /** Named in error messages: 'GitHub' or 'the session service'. */
  service: string;
  /** The environment variable holding the credential, named when the service refuses it. */
  credentialVar: string;
  /** Sent with every call; `Authorization` is the credential (left out when asked). */
  headers: Record<string, string>;
  /** Timeout of one attempt, answer and body included. */
  timeoutMs: number;
  /** Extra attempts after a 5xx, a network error or a timeout. */
  retries: number;
  /** First backoff; attempt n+1 waits retryBaseMs·2^n. */
  retryBaseMs?: number;
  /** Epoch milliseconds; injectable so a rate-limit reset can be tested. */
  now?: () => number;
}

export interface OutsideAnswer {
  body: unknown;
  headers: Headers;
}

/** What one attempt came to: a 2xx body, a status that is not retried, or a retriable failure. */
type Attempt =
  | { kind: 'answered'; headers: Headers; text: string }
  | { kind: 'refused'; status: number; headers: Headers }
  | { kind: 'failed'; timedOut: boolean; reason: string };

const DEFAULT_RETRY_BASE_MS = 250;

/**
 * GET-a-JSON-body for the outside services the old dashboard called with `requests`: a timeout per
 * attempt, retries with backoff where waiting can help, and every failure turned into one of the
 * typed {@link OutsideError}s. A rate limit is honoured: until its reset, calls to that origin fail
 * at once instead of spending the next call of the quota.
 */
export class OutsideHttp {
  private readonly retryBaseMs: number;
  private readonly now: () => number;
  /** Origin → epoch ms until which the service asked not to be called. */
  private readonly limitedUntil = new Map<string, number>();

  constructor(private readonly options: OutsideHttpOptions) {
    this.retryBaseMs = options.retryBaseMs ?? DEFAULT_RETRY_BASE_MS;
    this.now = options.now ?? Date.now;
  }

  async getJson(url: string, options: { withCredentials?: boolean } = {}): Promise<OutsideAnswer> {
    const target = new URL(url);
    this.failFastWhileLimited(target.origin);
    const headers =
      options.withCredentials === false ? withoutCredentials(this.options.headers) : this.options.headers;
    const attempts = 1 + Math.max(0, this.options.retries);
    let failure: Extract<Attempt, { kind: 'failed' }> | undefined;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await sleep(this.retryBaseMs * 2 ** (attempt - 1));
      const outcome = await this.attempt(target, headers);
      if (outcome.kind === 'answered')
        return { body: this.parse(target, outcome.text), headers: outcome.headers };
      if (outcome.kind === 'refused') throw this.refusal(target, outcome.status, outcome.headers);
      failure = outcome;
    }
    const { service, timeoutMs } = this.options;
    if (failure?.timedOut) throw new OutsideTimeoutError(service, timeoutMs, attempts);
    throw new OutsideUnavailableError(service, failure?.reason ?? 'no answer', attempts);
  }

  private async attempt(target: URL, headers: Record<string, string>): Promise<Attempt> {
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    try {
      const response = await fetch(target, { method: 'GET', headers, signal });
      if (response.status >= 500) {
        await discard(response);
        return { kind: 'failed', timedOut: false, reason: `HTTP ${response.status}` };
      }
      if (response.status < 200 || response.status >= 300) {
        await discard(response);
        return { kind: 'refused', status: response.status, headers: response.headers };
      }
      // The body is read under the same timeout: a service that stalls mid-body is a timeout too.
      return { kind: 'answered', headers: response.headers, text: await response.text() };
    } catch (error) {
      return { kind: 'failed', timedOut: signal.aborted || isTimeout(error), reason: networkReason(error) };
    }
  }

  private parse(target: URL, text: string): unknown {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new OutsideBadAnswerError(
        this.options.service,
        `sent a body that is not JSON for ${target.pathname}`,
        'try again later; if it persists, check the service URL',
      );
    }
  }

  /** The error for a non-2xx, non-5xx answer; a rate limit also blocks the origin until its reset. */
  private refusal(target: URL, status: number, headers: Headers): Error {
    const { service, credentialVar } = this.options;
    if (status === 401) return new OutsideAuthError(service, credentialVar, status);
    if (status === 403 || status === 429) {
      const wait = rateLimitWaitSeconds(headers, this.now());
      if (wait !== undefined || status === 429) {
        const seconds = clampWaitSeconds(wait ?? DEFAULT_RATE_LIMIT_WAIT_SECONDS);
        this.limitedUntil.set(target.origin, this.now() + seconds * 1_000);
        return new OutsideRateLimitedError(service, seconds);
      }
      return new OutsideAuthError(service, credentialVar, status);
    }
    return new OutsideBadAnswerError(
      service,
      `answered ${status} for ${target.pathname}`,
      status === 404
        ? `check that it exists and that ${credentialVar} may read it`
        : 'check the request the hub was configured to make',
      status,
    );
  }

  private failFastWhileLimited(origin: string): void {
    const until = this.limitedUntil.get(origin);
    if (until === undefined) return;
    const left = until - this.now();
    if (left <= 0) {
      this.limitedUntil.delete(origin);
      return;
    }
    throw new OutsideRateLimitedError(this.options.service, left / 1_000);
  }
}

/**
 * Seconds GitHub asks to wait, from `retry-after` (seconds or an HTTP date) or an exhausted
 * `x-ratelimit-remaining` with its `x-ratelimit-reset` (epoch seconds); undefined when the answer
 * is no rate limit at all.
 */
export function rateLimitWaitSeconds(headers: Headers, nowMs: number): number | undefined {
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+$/.test(retryAfter)) return Number(retryAfter);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return (date - nowMs) / 1_000;
  }
  if (headers.get('x-ratelimit-remaining')?.trim() !== '0') return undefined;
  const reset = headers.get('x-ratelimit-reset')?.trim();
  return reset && /^\d+$/.test(reset) ? Number(reset) - nowMs / 1_000 : DEFAULT_RATE_LIMIT_WAIT_SECONDS;
}

function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization'),
  );
}

/** Frees the connection of an answer whose body is not read. */
async function discard(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // Nothing to free.
  }
}

// Fetch's errors come from Node's own realm, so they are read by their fields, not `instanceof`.
function isTimeout(error: unknown): boolean {
  const name = fieldOf(error, 'name');
  return name === 'TimeoutError' || name === 'AbortError';
}

/** The network error's code (`ECONNREFUSED`, …): the message of fetch's error is only "fetch failed". */
function networkReason(error: unknown): string {
  const code = fieldOf(fieldOf(error, 'cause'), 'code');
  return typeof code === 'string' ? `network error ${code}` : 'network error';
}

function fieldOf(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}
