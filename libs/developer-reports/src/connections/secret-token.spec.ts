import { createHmac } from 'node:crypto';
import { bearerToken, hashSecretToken, secretTokenMatches } from './secret-token';

describe('secret tokens', () => {
  it('stores only hmac-sha256:<salt>:<digest>, and salts each hash', () => {
    const a = hashSecretToken('s3cret');
    const b = hashSecretToken('s3cret');
    expect(a).toMatch(/^hmac-sha256:[0-9a-f]{32}:[0-9a-f]{64}$/);
    expect(b).toMatch(/^hmac-sha256:[0-9a-f]{32}:[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
    expect(a.split(':')[1]).not.toBe(b.split(':')[1]);
  });

  it('keeps the HMAC-SHA-256 of the token, keyed with the salt stored beside it', () => {
    for (const stored of [hashSecretToken('s3cret'), hashSecretToken('s3cret', 'a-given-salt')]) {
      const [, salt, digest] = stored.split(':');
      expect(digest).toBe(createHmac('sha256', salt).update('s3cret', 'utf8').digest('hex'));
    }
    expect(hashSecretToken('s3cret', 'a-given-salt')).toBe(
      `hmac-sha256:a-given-salt:${createHmac('sha256', 'a-given-salt').update('s3cret').digest('hex')}`,
    );
  });

  it('matches only the original token', () => {
    const stored = hashSecretToken('s3cret');
    expect(secretTokenMatches('s3cret', stored)).toBe(true);
    expect(secretTokenMatches('s3cret ', stored)).toBe(false);
    expect(secretTokenMatches('other', stored)).toBe(false);
    expect(secretTokenMatches('s3cret', 'garbage')).toBe(false);
  });

  it('reads bearer tokens case-insensitively and rejects other schemes', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer   abc  ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
