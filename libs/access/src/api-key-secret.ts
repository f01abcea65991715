import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys are 256 random bits, so a plain SHA-256 is a safe way to keep them (no dictionary can
 * reach them) and lets a request's key be found by its hash in one lookup. Every key starts with a
 * recognisable prefix, so a leaked key is easy to spot in a scanner or a log.
 */
export function newApiKey(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function apiKeyHash(key: string): string {
  return `sha256:${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}

/** Constant-time comparison of a presented key with a stored hash. */
export function apiKeyMatches(key: string, storedHash: string): boolean {
  const actual = Buffer.from(apiKeyHash(key));
  const wanted = Buffer.from(storedHash);
  return actual.length === wanted.length && timingSafeEqual(actual, wanted);
}

/** A short public id for a key (shown in lists and logs instead of the key). */
export function newApiKeyId(): string {
  return `key_${randomBytes(9).toString('base64url')}`;
}
