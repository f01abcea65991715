import { TtlCache } from './ttl-cache';

describe('TtlCache', () => {
  it('reuses a value until its ttl has passed', () => {
    let now = 1_000;
    const cache = new TtlCache<string[]>(120_000, () => now);
    cache.set('pulls:o/r', ['#1']);
    now += 119_999;
    expect(cache.get('pulls:o/r')).toEqual(['#1']);
    now += 2;
    expect(cache.get('pulls:o/r')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('restarts the ttl when a key is set again', () => {
    let now = 0;
    const cache = new TtlCache<number>(100, () => now);
    cache.set('k', 1);
    now = 90;
    cache.set('k', 2);
    now = 150;
    expect(cache.get('k')).toBe(2);
  });

  it('caches nothing with a ttl of 0', () => {
    const cache = new TtlCache<number>(0, () => 0);
    cache.set('k', 1);
    expect(cache.get('k')).toBeUndefined();
  });

  it('forgets everything on clear', () => {
    const cache = new TtlCache<number>(1_000, () => 0);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.clear();
    expect([cache.get('a'), cache.get('b')]).toEqual([undefined, undefined]);
  });

  it('stays within its bound, dropping expired entries first, then the oldest', () => {
    let now = 0;
    const cache = new TtlCache<number>(100, () => now, 3);
    cache.set('old', 0);
    now = 60;
    cache.set('a', 1);
    cache.set('b', 2);
    now = 120;
    cache.set('c', 3);
    expect(cache.size).toBe(3);
    expect(cache.get('old')).toBeUndefined();
    cache.set('d', 4);
    expect(cache.size).toBe(3);
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.get('d')]).toEqual([undefined, 2, 3, 4]);
  });
});
