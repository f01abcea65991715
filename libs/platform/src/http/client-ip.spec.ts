import { ClientIpResolver } from './client-ip';

describe('ClientIpResolver', () => {
  it('ignores X-Forwarded-For when no proxy is trusted', () => {
    expect(new ClientIpResolver([]).resolve('203.0.113.9', '198.51.100.1')).toBe('203.0.113.9');
  });

  it('believes X-Forwarded-For only from a trusted proxy, reading from the right', () => {
    const resolver = new ClientIpResolver(['10.0.0.0/8', '192.0.2.1']);
    expect(resolver.resolve('10.1.2.3', '198.51.100.7, 192.0.2.1')).toBe('198.51.100.7');
    expect(resolver.resolve('::ffff:10.1.2.3', '6.6.6.6, 198.51.100.7')).toBe('198.51.100.7');
    expect(resolver.resolve('203.0.113.9', '198.51.100.7')).toBe('203.0.113.9');
  });

  it('refuses a malformed trusted proxy', () => {
    expect(() => new ClientIpResolver(['not-an-ip'])).toThrow('TRUSTED_PROXIES');
  });
});
