import { BlockList, isIPv6, type Server, type Socket } from 'node:net';
import { counter } from '../observability/metrics';

const refusedConnections = counter(
  'http_connections_refused_total',
  'Connections closed on arrival because their IP already held HTTP_MAX_CONNECTIONS_PER_IP',
);

/**
 * At most `max` open connections per client IP (0: no cap), so one client cannot take every
 * socket. Trusted proxies are exempt: every client behind them shares their address. A connection
 * over the cap is closed on arrival, before any byte is read.
 */
export function capConnectionsPerIp(server: Server, max: number, trustedProxies: readonly string[]): void {
  if (max <= 0) return;
  const exempt = blockListOf(trustedProxies);
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const ip = unmapped(socket.remoteAddress);
    if (!ip || exempt.check(ip, isIPv6(ip) ? 'ipv6' : 'ipv4')) return;
    const count = open.get(ip) ?? 0;
    if (count >= max) {
      refusedConnections.inc();
      socket.destroy();
      return;
    }
    open.set(ip, count + 1);
    socket.once('close', () => {
      const left = (open.get(ip) ?? 1) - 1;
      if (left === 0) open.delete(ip);
      else open.set(ip, left);
    });
  });
}

function blockListOf(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split('/');
    const type = isIPv6(address) ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return list;
}

/** `::ffff:1.2.3.4` (IPv4 on an IPv6 socket) is `1.2.3.4`. */
function unmapped(ip: string | undefined): string | undefined {
  return ip?.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}
