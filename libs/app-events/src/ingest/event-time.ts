/** Unix timestamps below this are seconds, at or above it milliseconds (10^12 ms is Sept 2001). */
const SECONDS_BELOW = 1e12;
/** The accepted event window: no stored event lies outside it, so no read needs to look outside. */
export const EARLIEST_EVENT_MS = Date.UTC(2000, 0, 1);
export const MAX_AHEAD_MS = 24 * 3_600_000;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export type EventTime = { ok: true; millis: number } | { ok: false; message: string };

/**
 * Reads a `jwc.v1` event time: Unix milliseconds, Unix seconds (below 10^12) or ISO-8601. Times
 * before 2000 or more than a day ahead of `now` are refused: they are clock errors, and they would
 * land in partitions no query looks at.
 */
export function parseEventTime(t: number | string, now = Date.now()): EventTime {
  let millis: number;
  if (typeof t === 'number') {
    if (!Number.isFinite(t) || t < 0) return { ok: false, message: 'must be a positive Unix timestamp' };
    millis = t < SECONDS_BELOW ? t * 1000 : t;
  } else {
    const text = t.trim();
    if (/^\d+(\.\d+)?$/.test(text)) return parseEventTime(Number(text), now);
    if (!ISO_8601.test(text))
      return { ok: false, message: 'must be Unix milliseconds, Unix seconds or ISO-8601' };
    millis = Date.parse(text);
    if (Number.isNaN(millis)) return { ok: false, message: 'is not a real date-time' };
  }
  millis = Math.floor(millis);
  if (millis < EARLIEST_EVENT_MS) return { ok: false, message: 'is before the year 2000' };
  if (millis > now + MAX_AHEAD_MS) return { ok: false, message: 'is more than a day in the future' };
  return { ok: true, millis };
}
