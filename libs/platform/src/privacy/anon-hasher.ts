import { createHmac } from 'node:crypto';
import type { AppConfig } from '../config/app-config';
import { resolveYearlySalt } from './yearly-salt';

/**
 * `anon` is never stored: only HMAC-SHA-256(key = YEARLY_SALT + ":" + year, anon), in hex. The key
 * changes with the calendar year of the event, so identities cannot be linked across years, and
 * without the salt a hash cannot be tied back to an id.
 */
export class AnonHasher {
  private readonly keys = new Map<number, Buffer>();
  /** Recent hashes: the same users send most events, and HMAC is the costliest step per event. */
  private readonly recent = new Map<string, string>();
  private static readonly RECENT_LIMIT = 100_000;

  constructor(private readonly salt: string) {
    if (salt.length < 16) throw new Error('YEARLY_SALT must be at least 16 characters');
  }

  hash(anon: string, eventMillis: number): string {
    const year = new Date(eventMillis).getUTCFullYear();
    const cacheKey = `${year}\u0000${anon}`;
    const cached = this.recent.get(cacheKey);
    if (cached !== undefined) return cached;
    let key = this.keys.get(year);
    if (!key) {
      key = Buffer.from(`${this.salt}:${year}`, 'utf8');
      this.keys.set(year, key);
    }
    const hashed = createHmac('sha256', key).update(anon, 'utf8').digest('hex');
    if (this.recent.size >= AnonHasher.RECENT_LIMIT) this.recent.clear();
    this.recent.set(cacheKey, hashed);
    return hashed;
  }
}

/**
 * The hasher every gateway of an input uses: keyed with YEARLY_SALT, or, in embedded mode without
 * it, with the key kept in DATA_DIR (so every input of one app hashes a user id alike).
 */
export function anonHasherFor(
  config: Pick<AppConfig, 'YEARLY_SALT' | 'DATA_DIR'>,
  mode: 'embedded' | 'distributed',
): AnonHasher {
  return new AnonHasher(
    resolveYearlySalt(config.YEARLY_SALT, mode === 'embedded' ? config.DATA_DIR : undefined),
  );
}
