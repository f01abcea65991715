import { isIP } from 'node:net';

/** 127.0.0.0/8, ::1 and their IPv4-mapped forms; `localhost` for a HOST setting. */
export function isLoopback(address: string): boolean {
  const plain = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  if (plain === 'localhost' || plain === '::1') return true;
  return isIP(plain) === 4 && plain.startsWith('127.');
}
