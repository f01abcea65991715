import { LRUCache } from 'lru-cache';

/** Entries kept at most: the least recently used go first once it is full. */
const DEFAULT_MAX_ENTRIES = 10_000;

/**
 * The old dashboard's CACHE_TTL: an answer of GitHub or the session service is reused for `ttlMs`
 * before it is asked again (lru-cache, bounded). A ttl of 0 caches nothing, as CACHE_TTL=0 did.
 */
export class TtlCache<V extends NonNullable<unknown>> {
  private readonly cache: LRUCache<string, V> | undefined;

  constructor(ttlMs: number, now: () => number = () => performance.now(), maxEntries = DEFAULT_MAX_ENTRIES) {
    this.cache =
      ttlMs > 0
        ? new LRUCache<string, V>({ max: maxEntries, ttl: ttlMs, ttlResolution: 0, perf: { now } })
        : undefined;
  }

  get(key: string): V | undefined {
    return this.cache?.get(key);
  }

  set(key: string, value: V): void {
    this.cache?.set(key, value);
  }

  clear(): void {
    this.cache?.clear();
  }

  get size(): number {
    return this.cache?.size ?? 0;
  }
}
