import Fastify from 'fastify';
import { loadConfig } from '../config/app-config';
import { clientIpOf, trustProxyOption } from './client-ip';

/** A Fastify app as the hub configures it, answering with the client IP it resolved. */
async function resolvedIp(trusted: string, remoteAddress: string, forwardedFor?: string): Promise<string> {
  const app = Fastify({ trustProxy: trustProxyOption(loadConfig({ TRUSTED_PROXIES: trusted })) });
  app.get('/', async (request) => clientIpOf(request));
  const response = await app.inject({
    url: '/',
    remoteAddress,
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
  });
  await app.close();
  return response.body;
}

describe('client IP', () => {
  it('ignores X-Forwarded-For when no proxy is trusted', async () => {
    expect(await resolvedIp('', '203.0.113.9', '198.51.100.1')).toBe('203.0.113.9');
  });

  it('believes X-Forwarded-For only from a trusted proxy, reading from the right', async () => {
    const trusted = '10.0.0.0/8,192.0.2.1';
    expect(await resolvedIp(trusted, '10.1.2.3', '198.51.100.7, 192.0.2.1')).toBe('198.51.100.7');
    expect(await resolvedIp(trusted, '10.1.2.3', '6.6.6.6, 198.51.100.7')).toBe('198.51.100.7');
    expect(await resolvedIp(trusted, '203.0.113.9', '198.51.100.7')).toBe('203.0.113.9');
  });

  it('reads an IPv4 client on an IPv6 socket as IPv4', async () => {
    expect(await resolvedIp('', '::ffff:203.0.113.9')).toBe('203.0.113.9');
  });

  it('refuses a malformed trusted proxy at start-up, naming the variable', () => {
    expect(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.0/8,not-an-ip' })).toThrow(
      'TRUSTED_PROXIES must list IP addresses or CIDR ranges, got "not-an-ip"',
    );
    expect(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow('TRUSTED_PROXIES');
  });
});
