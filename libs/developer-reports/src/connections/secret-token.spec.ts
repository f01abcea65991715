import { createHmac, scryptSync } from 'node:crypto';
import {
  SecretTokenChecker,
  bearerToken,
  hashSecretToken,
  newSecretToken,
  secretTokenMatches,
} from './secret-token';

describe('secret tokens', () => {
  it('stores only scrypt:<log2 N>:<r>:<p>:<salt>:<hash>, salted per hash, at N = 2^15', async () => {
    const a = await hashSecretToken('s3cret');
    const b = await hashSecretToken('s3cret');
    expect(a).toMatch(/^scrypt:15:8:1:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    const [, , , , salt, hash] = a.split(':');
    const expected = scryptSync('s3cret', Buffer.from(salt, 'base64url'), 32, {
      N: 2 ** 15,
      r: 8,
      p: 1,
      maxmem: 256 * 1024 * 1024,
    });
    expect(hash).toBe(expected.toString('base64url'));
  });

  it('matches only the original token', async () => {
    const stored = await hashSecretToken('s3cret');
    expect(await secretTokenMatches('s3cret', stored)).toBe(true);
    expect(await secretTokenMatches('s3cret ', stored)).toBe(false);
    expect(await secretTokenMatches('other', stored)).toBe(false);
    expect(await secretTokenMatches('s3cret', 'garbage')).toBe(false);
    expect(await secretTokenMatches('s3cret', 'scrypt:40:8:1:c2FsdA:aGFzaA')).toBe(false);
  });

  it('keeps the cost it was made with in each hash, and checks it at that cost', async () => {
    const cheap = await hashSecretToken('s3cret', 10);
    expect(cheap).toMatch(/^scrypt:10:8:1:/);
    expect(await secretTokenMatches('s3cret', cheap)).toBe(true);
    expect(await secretTokenMatches('other', cheap)).toBe(false);
  });

  it('still reads the hmac-sha256 hashes written before scrypt', async () => {
    const legacy = `hmac-sha256:a-salt:${createHmac('sha256', 'a-salt').update('s3cret').digest('hex')}`;
    expect(await secretTokenMatches('s3cret', legacy)).toBe(true);
    expect(await secretTokenMatches('other', legacy)).toBe(false);
  });

  it('generates 256-bit tokens with a recognisable prefix', () => {
    const token = newSecretToken();
    expect(token).toMatch(/^thct_[A-Za-z0-9_-]{43}$/);
    expect(newSecretToken()).not.toBe(token);
  });

  it('pays the slow hash once per token and stored hash, whether it matched or not', async () => {
    const stored = await hashSecretToken('s3cret');
    const checker = new SecretTokenChecker();
    expect(await checker.matches('s3cret', stored)).toBe(true);
    expect(await checker.matches('an old token', stored)).toBe(false);
    const started = performance.now();
    for (let i = 0; i < 100; i++) {
      expect(await checker.matches('s3cret', stored)).toBe(true);
      expect(await checker.matches('an old token', stored)).toBe(false);
    }
    // 200 scrypt runs would take many seconds; remembered answers take well under one.
    expect(performance.now() - started).toBeLessThan(1_000);
    // The token changed: checked afresh.
    expect(await checker.matches('s3cret', await hashSecretToken('another token'))).toBe(false);
  });

  it('reads bearer tokens case-insensitively and rejects other schemes', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer   abc  ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
