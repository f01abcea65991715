import { parseIsoTime } from '@th/platform';

/** Unix timestamps below this are seconds, at or above it milliseconds (10^12 ms is Sept 2001). */
const SECONDS_BELOW = 1e12;
/** The accepted event window: no stored event lies outside it, so no read needs to look outside. */
export const EARLIEST_EVENT_MS = Date.UTC(2000, 0, 1);
export const MAX_AHEAD_MS = 24 * 3_600_000;
const DAY_MS = 86_400_000;

export type EventTime = { ok: true; millis: number } | { ok: false; message: string };

/**
 * Reads a `jwc.v1` event time: Unix milliseconds, Unix seconds (below 10^12) or ISO-8601 (a real
 * calendar date: `2026-02-30` is refused, never rolled over). Times before 2000, older than
 * `maxAgeDays` (0: no limit but 2000) or more than a day ahead of `now` are refused, never
 * clamped: they are clock errors, and they would land in partitions no query looks at.
 */
export function parseEventTime(t: number | string, now = Date.now(), maxAgeDays = 0): EventTime {
  let millis: number;
  if (typeof t === 'number') {
    if (!Number.isFinite(t) || t < 0) return { ok: false, message: 'must be a positive Unix timestamp' };
    millis = t < SECONDS_BELOW ? t * 1000 : t;
  } else {
    const text = t.trim();
    if (/^\d+(\.\d+)?$/.test(text)) return parseEventTime(Number(text), now, maxAgeDays);
    const parsed = parseIsoTime(text);
    if (parsed === undefined) {
      return {
        ok: false,
        message: 'must be Unix milliseconds, Unix seconds or an ISO-8601 date-time that exists',
      };
    }
    millis = parsed;
  }
  millis = Math.floor(millis);
  if (millis < EARLIEST_EVENT_MS) return { ok: false, message: 'is before the year 2000' };
  if (maxAgeDays > 0 && millis < now - maxAgeDays * DAY_MS)
    return { ok: false, message: `is more than ${maxAgeDays} days old, the oldest this server accepts` };
  if (millis > now + MAX_AHEAD_MS) return { ok: false, message: 'is more than a day in the future' };
  return { ok: true, millis };
}
