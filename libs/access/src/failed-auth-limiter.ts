import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import {
  APP_CONFIG,
  type AppConfig,
  DomainError,
  type RateLimitDecision,
  type RequestRateLimiter,
  limiterUnlessZero,
  counter,
  rateLimitKeyOf,
} from '@th/platform';

const failures = counter(
  'auth_failures_total',
  'Failed authentications, by credential (api_key, report_token) and outcome (refused: checked and wrong; limited: refused unchecked after too many failures)',
  ['credential', 'outcome'] as const,
);

export type CredentialKind = 'api_key' | 'report_token';

/** One authentication: who tries (their address) and, for a report, the connection they aim at. */
export interface AuthAttempt {
  credential: CredentialKind;
  clientIp: string;
  /** `connection:7`: a resource whose credential is tried; limited across all clients too. */
  target?: string;
}

/** Too many failed authentications: refused before the credential is even looked at. */
export class TooManyFailedAuthenticationsError extends DomainError {
  readonly code = 'too_many_failed_authentications';
  readonly status = 429;
  constructor(from: 'client' | 'connection', setting: string, decision: RateLimitDecision) {
    super(
      `too many failed authentications for this ${from} (${setting}=${decision.limit} per AUTH_FAILURE_WINDOW); retry in ${decision.resetSeconds} s`,
    );
    this.headers['Retry-After'] = String(decision.resetSeconds);
  }
}

/**
 * Bounds credential guessing (API keys, report tokens). A client (an IPv4 address, an IPv6 /64)
 * past AUTH_FAILURE_LIMIT_PER_CLIENT failures in AUTH_FAILURE_WINDOW is refused unchecked until
 * the window ends. A connection past AUTH_FAILURE_LIMIT_PER_CONNECTION failures from all clients
 * together is closed the same way to every client except those that authenticated to it in the
 * window: an attack spread over many addresses cannot lock out the collectors already sending.
 * Counts are per process, like the other rate limits.
 */
@Injectable()
export class FailedAuthLimiter {
  private readonly perClient: RequestRateLimiter | undefined;
  private readonly perTarget: RequestRateLimiter | undefined;
  /** `target|client` pairs that authenticated within the window. */
  private readonly provenClients: LRUCache<string, true>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const window = config.AUTH_FAILURE_WINDOW;
    this.perClient = limiterUnlessZero(config.AUTH_FAILURE_LIMIT_PER_CLIENT, window);
    this.perTarget = limiterUnlessZero(config.AUTH_FAILURE_LIMIT_PER_CONNECTION, window);
    this.provenClients = new LRUCache({ max: 10_000, ttl: window });
  }

  /** Throws {@link TooManyFailedAuthenticationsError} when this attempt may not even be checked. */
  async admit(attempt: AuthAttempt): Promise<void> {
    const client = rateLimitKeyOf(attempt.clientIp);
    const clientOver = await this.perClient?.isExhausted(client);
    if (clientOver) throw this.limited(attempt, 'client', 'AUTH_FAILURE_LIMIT_PER_CLIENT', clientOver);
    if (attempt.target === undefined || this.provenClients.has(`${attempt.target}|${client}`)) return;
    const targetOver = await this.perTarget?.isExhausted(attempt.target);
    if (targetOver)
      throw this.limited(attempt, 'connection', 'AUTH_FAILURE_LIMIT_PER_CONNECTION', targetOver);
  }

  /** Counts a wrong credential against the client and the target. */
  async failed(attempt: AuthAttempt): Promise<void> {
    failures.inc({ credential: attempt.credential, outcome: 'refused' });
    await this.perClient?.take(rateLimitKeyOf(attempt.clientIp));
    if (attempt.target !== undefined) await this.perTarget?.take(attempt.target);
  }

  /** Remembers that the client holds the target's credential. */
  succeeded(attempt: AuthAttempt): void {
    if (attempt.target !== undefined)
      this.provenClients.set(`${attempt.target}|${rateLimitKeyOf(attempt.clientIp)}`, true);
  }

  private limited(
    attempt: AuthAttempt,
    from: 'client' | 'connection',
    setting: string,
    decision: RateLimitDecision,
  ): TooManyFailedAuthenticationsError {
    failures.inc({ credential: attempt.credential, outcome: 'limited' });
    return new TooManyFailedAuthenticationsError(from, setting, decision);
  }
}
