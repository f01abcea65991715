import { FixedWindowRateLimiter } from './rate-limiter';

describe('FixedWindowRateLimiter', () => {
  it('allows the limit per window per key, then refuses until the window resets', () => {
    const limiter = new FixedWindowRateLimiter(2, 60_000);
    const t0 = 1_000_000;
    expect(limiter.take('a', t0)).toMatchObject({ allowed: true, remaining: 1 });
    expect(limiter.take('a', t0 + 1)).toMatchObject({ allowed: true, remaining: 0 });
    expect(limiter.take('a', t0 + 2)).toMatchObject({ allowed: false, remaining: 0, resetSeconds: 60 });
    expect(limiter.take('b', t0 + 3)).toMatchObject({ allowed: true });
    expect(limiter.take('a', t0 + 60_000)).toMatchObject({ allowed: true, remaining: 1 });
  });
});
