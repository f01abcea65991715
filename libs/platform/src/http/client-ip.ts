import { BlockList, isIP } from 'node:net';

/**
 * Finds the client's IP. The socket address is the client unless it is a trusted proxy; then
 * X-Forwarded-For is read from the right, skipping trusted proxies, and the first untrusted address
 * is the client. With no trusted proxies the header is ignored, so it cannot be spoofed.
 */
export class ClientIpResolver {
  private readonly trusted = new BlockList();
  private readonly hasTrusted: boolean;

  constructor(trustedProxies: readonly string[]) {
    for (const entry of trustedProxies) {
      const [address, prefix] = entry.split('/');
      const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (isIP(address) === 0) throw new Error(`TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR`);
      if (prefix === undefined) this.trusted.addAddress(address, family);
      else this.trusted.addSubnet(address, Number(prefix), family);
    }
    this.hasTrusted = trustedProxies.length > 0;
  }

  resolve(socketAddress: string | undefined, forwardedFor: string | string[] | undefined): string {
    const socketIp = normalize(socketAddress ?? '');
    if (!this.hasTrusted || !this.isTrusted(socketIp)) return socketIp;
    const chain = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? ''))
      .split(',')
      .map((part) => normalize(part.trim()))
      .filter((part) => isIP(part) !== 0);
    for (let i = chain.length - 1; i >= 0; i--) {
      if (!this.isTrusted(chain[i])) return chain[i];
    }
    return chain[0] ?? socketIp;
  }

  private isTrusted(ip: string): boolean {
    const family = isIP(ip);
    return family !== 0 && this.trusted.check(ip, family === 6 ? 'ipv6' : 'ipv4');
  }
}

/** `::ffff:1.2.3.4` (IPv4 on an IPv6 socket) is `1.2.3.4`. */
function normalize(ip: string): string {
  return ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
}
