import type { FastifyRequest } from 'fastify';
import ipaddr from 'ipaddr.js';
import type { AppConfig } from '../config/app-config';

/**
 * Fastify's `trustProxy` for TRUSTED_PROXIES: with none, X-Forwarded-For is ignored (it cannot be
 * spoofed); with some, Fastify reads it from the right, skipping trusted proxies, and `request.ip`
 * is the first untrusted address.
 */
export function trustProxyOption(config: Pick<AppConfig, 'TRUSTED_PROXIES'>): string[] | false {
  return config.TRUSTED_PROXIES.length > 0 ? [...config.TRUSTED_PROXIES] : false;
}

/** The client's IP as Fastify resolved it; `::ffff:1.2.3.4` (IPv4 on an IPv6 socket) is `1.2.3.4`. */
export function clientIpOf(request: FastifyRequest): string {
  const ip = request.ip ?? '';
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

/**
 * The bucket a client is counted in by rate limits: its IPv4 address, or the /64 of its IPv6
 * address. A /64 is what one subscriber is given; counting single IPv6 addresses would let one
 * client take a fresh address for every request and never meet a limit.
 */
export function rateLimitKeyOf(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') return address.toString();
  const network = (address as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16));
  return `${network.join(':')}::/64`;
}
