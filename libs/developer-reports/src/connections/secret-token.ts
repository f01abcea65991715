import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Connection secret tokens are kept only as `hmac-sha256:<salt>:<digest>`. Collectors send the
 * token on every report, so the check must be cheap; tokens are secrets chosen by the operator,
 * and the random per-connection salt keeps equal tokens from producing equal hashes.
 */
export function hashSecretToken(token: string, salt = randomBytes(16).toString('hex')): string {
  return `hmac-sha256:${salt}:${digest(salt, token)}`;
}

/** Compares in constant time; false for any malformed stored hash. */
export function secretTokenMatches(token: string, storedHash: string): boolean {
  const [scheme, salt, expected] = storedHash.split(':');
  if (scheme !== 'hmac-sha256' || !salt || !expected) return false;
  const actual = Buffer.from(digest(salt, token), 'hex');
  const wanted = Buffer.from(expected, 'hex');
  return actual.length === wanted.length && timingSafeEqual(actual, wanted);
}

function digest(salt: string, token: string): string {
  return createHmac('sha256', salt).update(token, 'utf8').digest('hex');
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^\s*Bearer\s+(.+?)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}
