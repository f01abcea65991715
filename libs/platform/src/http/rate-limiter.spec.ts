import { RequestRateLimiter } from './rate-limiter';
import { rateLimitKeyOf } from './client-ip';

describe('RequestRateLimiter', () => {
  it('allows the limit per window per key, then refuses until the window resets', async () => {
    const limiter = new RequestRateLimiter(2, 1_000);
    expect(await limiter.take('a')).toMatchObject({ allowed: true, remaining: 1 });
    expect(await limiter.take('a')).toMatchObject({ allowed: true, remaining: 0 });
    expect(await limiter.take('a')).toMatchObject({ allowed: false, remaining: 0, resetSeconds: 1 });
    expect(await limiter.take('b')).toMatchObject({ allowed: true });
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    expect(await limiter.take('a')).toMatchObject({ allowed: true, remaining: 1 });
  });

  it('tells an exhausted key without counting a request', async () => {
    const limiter = new RequestRateLimiter(2, 60_000);
    await limiter.take('a');
    expect(await limiter.isExhausted('a')).toBeUndefined();
    expect(await limiter.isExhausted('a')).toBeUndefined();
    await limiter.take('a');
    expect(await limiter.isExhausted('a')).toMatchObject({ allowed: false, resetSeconds: 60 });
    expect(await limiter.isExhausted('never-seen')).toBeUndefined();
  });
});

describe('rateLimitKeyOf', () => {
  it('counts an IPv4 client by its address', () => {
    expect(rateLimitKeyOf('203.0.113.7')).toBe('203.0.113.7');
    expect(rateLimitKeyOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts an IPv6 client by its /64, however it writes the address', () => {
    const bucket = rateLimitKeyOf('2001:db8:abcd:12::1');
    expect(bucket).toBe('2001:db8:abcd:12::/64');
    expect(rateLimitKeyOf('2001:0db8:abcd:0012:ffff:ffff:ffff:fffe')).toBe(bucket);
    expect(rateLimitKeyOf('2001:db8:abcd:13::1')).not.toBe(bucket);
  });

  it('keeps what is not an address as it is (a test client, a unix socket)', () => {
    expect(rateLimitKeyOf('')).toBe('');
  });
});
