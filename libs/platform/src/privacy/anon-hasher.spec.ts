import { createHmac } from 'node:crypto';
import { AnonHasher } from './anon-hasher';

const jan2026 = Date.UTC(2026, 0, 5);
const dec2026 = Date.UTC(2026, 11, 31);
const jan2027 = Date.UTC(2027, 0, 1);

describe('AnonHasher', () => {
  const hasher = new AnonHasher('a-salt-of-sufficient-length');

  it('is stable within a calendar year and never contains the id', () => {
    expect(hasher.hash('user123', jan2026)).toBe(hasher.hash('user123', dec2026));
    expect(hasher.hash('user123', jan2026)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is HMAC-SHA-256 of the id keyed with "<salt>:<year of the event>", in hex', () => {
    const expected = (anon: string, year: number) =>
      createHmac('sha256', `a-salt-of-sufficient-length:${year}`).update(anon, 'utf8').digest('hex');
    expect(hasher.hash('user123', jan2026)).toBe(expected('user123', 2026));
    expect(hasher.hash('user123', jan2027)).toBe(expected('user123', 2027));
    expect(hasher.hash('person@example.com', dec2026)).toBe(expected('person@example.com', 2026));
  });

  it('rotates with the year and depends on the salt', () => {
    expect(hasher.hash('user123', jan2027)).not.toBe(hasher.hash('user123', dec2026));
    expect(new AnonHasher('another-salt-of-good-length').hash('user123', jan2026)).not.toBe(
      hasher.hash('user123', jan2026),
    );
  });

  it('refuses a short salt', () => {
    expect(() => new AnonHasher('short')).toThrow('YEARLY_SALT');
  });
});
