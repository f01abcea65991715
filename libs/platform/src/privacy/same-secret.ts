import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether a presented secret equals the configured one, in constant time: both are compared as
 * SHA-256 digests, so neither the content nor the length of the secret leaks through timing.
 */
export function sameSecret(presented: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
