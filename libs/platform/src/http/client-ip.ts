import type { FastifyRequest } from 'fastify';
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
