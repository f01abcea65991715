import { bearerToken, hashSecretToken, secretTokenMatches } from './secret-token';

describe('secret tokens', () => {
  it('never stores the token itself, and salts each hash', () => {
    const a = hashSecretToken('s3cret');
    const b = hashSecretToken('s3cret');
    expect(a).not.toContain('s3cret');
    expect(a).not.toBe(b);
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
