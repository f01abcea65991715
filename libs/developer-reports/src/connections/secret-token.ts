import { createHash, createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { LRUCache } from 'lru-cache';
import { newApiKey } from '@th/access';

const scryptAsync = promisify(scrypt) as (
  token: string,
  salt: Buffer,
  keyLength: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/**
 * scrypt for new hashes: N = 2^cost (CONNECTION_TOKEN_HASH_COST, 15 by default: 32 MiB, about
 * 90 ms on one core), r = 8, p = 1. An operator may choose a weak token, so a stolen hash must be
 * slow to try words against. The parameters are written into each hash, so the cost can be raised
 * later without breaking old ones.
 */
export const DEFAULT_HASH_COST = 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
/** scrypt needs 128·N·r bytes; Node's default ceiling (32 MiB) is just too small for N = 2^15. */
const MAX_MEMORY = 256 * 1024 * 1024;

/** The prefix of the tokens the hub generates, so a leaked one is easy to spot. */
export const GENERATED_TOKEN_PREFIX = 'thct_';

/** A new connection token: 256 random bits with its prefix, made as the hub's API keys are. */
export function newSecretToken(): string {
  return newApiKey(GENERATED_TOKEN_PREFIX);
}

/** `scrypt:<log2 N>:<r>:<p>:<salt>:<hash>` (base64url): the only form in which a token is kept. */
export async function hashSecretToken(
  token: string,
  cost = DEFAULT_HASH_COST,
  salt = randomBytes(16),
): Promise<string> {
  const hash = await scryptAsync(token, salt, KEY_LENGTH, { N: 2 ** cost, r: R, p: P, maxmem: MAX_MEMORY });
  return ['scrypt', cost, R, P, salt.toString('base64url'), hash.toString('base64url')].join(':');
}

/**
 * Compares in constant time; false for any malformed stored hash. Reads the scrypt hashes and the
 * `hmac-sha256:<salt>:<digest>` ones written before tokens were hashed with scrypt.
 */
export async function secretTokenMatches(token: string, storedHash: string): Promise<boolean> {
  const parts = storedHash.split(':');
  if (parts[0] === 'hmac-sha256' && parts.length === 3 && parts[1] && parts[2]) {
    return sameBytes(
      createHmac('sha256', parts[1]).update(token, 'utf8').digest(),
      Buffer.from(parts[2], 'hex'),
    );
  }
  if (parts[0] !== 'scrypt' || parts.length !== 6) return false;
  const [log2N, r, p] = parts.slice(1, 4).map(Number);
  if (![log2N, r, p].every((n) => Number.isInteger(n) && n >= 1 && n <= 20)) return false;
  const expected = Buffer.from(parts[5], 'base64url');
  if (expected.length === 0) return false;
  const actual = await scryptAsync(token, Buffer.from(parts[4], 'base64url'), expected.length, {
    N: 2 ** log2N,
    r,
    p,
    maxmem: MAX_MEMORY,
  });
  return sameBytes(actual, expected);
}

function sameBytes(actual: Buffer, expected: Buffer): boolean {
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * Checks report tokens against their slow hashes, remembering each answer: a collector sends its
 * token on every report and pays scrypt once per process, and so does a collector left with an old
 * token, retrying; only a new guess pays it (and guesses are bounded by the failed-authentication
 * limits). Keyed by a digest of the stored hash and the token, so a changed token is checked
 * afresh; the token itself is never kept.
 */
export class SecretTokenChecker {
  private readonly answers = new LRUCache<string, boolean>({ max: 10_000 });

  async matches(token: string, storedHash: string): Promise<boolean> {
    const pair = createHash('sha256')
      .update(storedHash)
      .update('\0')
      .update(token, 'utf8')
      .digest('base64url');
    const known = this.answers.get(pair);
    if (known !== undefined) return known;
    const matches = await secretTokenMatches(token, storedHash);
    this.answers.set(pair, matches);
    return matches;
  }
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^\s*Bearer\s+(.+?)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}
