import { isRetriable, toHttpErrorResponse } from '@th/platform';
import {
  OutsideAuthError,
  OutsideBadAnswerError,
  OutsideRateLimitedError,
  OutsideTimeoutError,
  OutsideUnavailableError,
  clampWaitSeconds,
} from './outside-errors';

describe('outside errors', () => {
  it('map to the hub answer with their code, status and retriability', () => {
    const cases = [
      [new OutsideAuthError('GitHub', 'GITHUB_TOKEN', 401), 502, 'outside_auth_refused', false],
      [new OutsideRateLimitedError('GitHub', 42), 503, 'outside_rate_limited', true],
      [new OutsideUnavailableError('GitHub', 'HTTP 503', 3), 502, 'outside_unavailable', true],
      [new OutsideTimeoutError('the session service', 200, 3), 504, 'outside_timeout', true],
      [
        new OutsideBadAnswerError('GitHub', 'answered 404 for /x', 'check it', 404),
        502,
        'outside_bad_answer',
        false,
      ],
    ] as const;
    for (const [error, status, code, retriable] of cases) {
      const response = toHttpErrorResponse(error);
      expect(response.status).toBe(status);
      expect(response.body).toMatchObject({ success: false, error: code, message: error.message });
      expect(isRetriable(error)).toBe(retriable);
      expect(error.name).toBe(error.constructor.name);
    }
  });

  it('name the service and what to do', () => {
    expect(new OutsideAuthError('GitHub', 'GITHUB_TOKEN', 401).message).toBe(
      'GitHub refused the credentials (401): check GITHUB_TOKEN',
    );
    expect(new OutsideTimeoutError('the session service', 200, 3).message).toBe(
      'the session service did not answer within 200 ms (3 attempts): try again later',
    );
    expect(new OutsideUnavailableError('GitHub', 'network error ECONNREFUSED', 1).message).toBe(
      'GitHub is unavailable (network error ECONNREFUSED, 1 attempt): try again later',
    );
  });

  it('tell a rate-limited client how long to wait, in the header and the body', () => {
    const response = toHttpErrorResponse(new OutsideRateLimitedError('GitHub', 41.2));
    expect(response.headers).toEqual({ 'Retry-After': '42' });
    expect(response.body.retry_after_seconds).toBe(42);
  });

  it('wait at least a second and at most an hour', () => {
    expect(clampWaitSeconds(-5)).toBe(1);
    expect(clampWaitSeconds(0)).toBe(1);
    expect(clampWaitSeconds(0.2)).toBe(1);
    expect(clampWaitSeconds(7_200)).toBe(3_600);
    expect(clampWaitSeconds(Number.POSITIVE_INFINITY)).toBe(3_600);
    expect(clampWaitSeconds(Number.NaN)).toBe(60);
  });
});
