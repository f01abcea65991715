import { parseEventTime } from './event-time';

const now = Date.UTC(2026, 10, 22);

describe('parseEventTime', () => {
  it.each([
    [1640995200000, '2022-01-01T00:00:00.000Z'],
    [1640995200, '2022-01-01T00:00:00.000Z'],
    [1640995200.5, '2022-01-01T00:00:00.500Z'],
    ['2022-01-01T00:01:00Z', '2022-01-01T00:01:00.000Z'],
    ['2022-01-01T02:01:00+02:00', '2022-01-01T00:01:00.000Z'],
    ['1640995320000', '2022-01-01T00:02:00.000Z'],
  ])('reads %p as %s', (t, iso) => {
    const result = parseEventTime(t, now);
    expect(result.ok && new Date(result.millis).toISOString()).toBe(iso);
  });

  it.each([
    ['yesterday'],
    ['2022-13-45T00:00:00Z'],
    ['2026-02-30'],
    ['2026-02-28T24:00:00Z'],
    [-5],
    [Number.NaN],
    [946_684_799_999],
    [now + 2 * 86_400_000],
  ])('refuses %p', (t) => {
    expect(parseEventTime(t, now).ok).toBe(false);
  });
});

describe('parseEventTime with a maximum age', () => {
  it('refuses an event older than the maximum age, and takes one just inside it', () => {
    const old = parseEventTime(now - 31 * 86_400_000, now, 30);
    expect(old).toEqual({ ok: false, message: 'is more than 30 days old, the oldest this server accepts' });
    expect(parseEventTime(now - 29 * 86_400_000, now, 30).ok).toBe(true);
  });

  it('takes any event since 2000 when the maximum age is 0', () => {
    expect(parseEventTime('2000-01-01T00:00:00Z', now, 0).ok).toBe(true);
  });
});
