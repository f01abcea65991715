import { isCalendarDate, parseIsoTime } from './iso-time';

describe('parseIsoTime', () => {
  it.each([
    ['2026-02-11', Date.UTC(2026, 1, 11)],
    ['2024-02-29', Date.UTC(2024, 1, 29)],
    ['2000-02-29T23:59:59.999Z', Date.UTC(2000, 1, 29, 23, 59, 59, 999)],
    ['2026-02-11T10:30', Date.UTC(2026, 1, 11, 10, 30)],
    ['2026-02-11 10:30:05', Date.UTC(2026, 1, 11, 10, 30, 5)],
    ['2026-02-11T10:30:00+02:00', Date.UTC(2026, 1, 11, 8, 30)],
    ['2026-02-11T10:30:00-0130', Date.UTC(2026, 1, 11, 12, 0)],
    ['0001-01-01', Date.UTC(2000, 0, 1) - 730_119 * 86_400_000],
  ])('reads %s', (text, millis) => {
    expect(parseIsoTime(text)).toBe(millis);
  });

  it.each([
    '2026-02-30',
    '2026-02-29',
    '1900-02-29',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-01-01T24:00',
    '2026-01-01T23:60',
    '2026-01-01T23:59:60',
    '2026-01-01T10:00+24:00',
    '2026-1-1',
    '20260101',
    'yesterday',
    '',
  ])('refuses %s', (text) => {
    expect(parseIsoTime(text)).toBeUndefined();
  });
});

describe('isCalendarDate', () => {
  it('takes only a bare YYYY-MM-DD that exists', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-02-11T00:00')).toBe(false);
  });
});
