import { parseIsoTime } from '@th/platform';

const NS_PER_MS = 1_000_000n;
const NS_PER_SECOND = 1_000_000_000n;
const DAY_NS = 86_400n * NS_PER_SECOND;

/** DateTime64(9) holds 1900 to 2262; span times are unix nanos, so the reads start at the epoch. */
export const EARLIEST_NS = 0n;
/** The last instant a DateTime64(9) (an Int64 of nanoseconds) can hold: 2262-04-11T23:47:16.854775807Z. */
export const LATEST_NS = 9_223_372_036_854_775_807n;

/** The fraction of seconds of an ISO-8601 time, and the text without it. */
const FRACTION = /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2})\.(\d{1,9})(.*)$/;

/**
 * Nanoseconds since the epoch of an ISO-8601 date (UTC midnight) or date-time, exact to the
 * nanosecond (a span's start time can be given back as a bound), or undefined when it is not a
 * real one. `endOfDay`: a date alone means the end of that day (a `to` that includes the day).
 */
export function unixNanoOfIso(text: string, endOfDay = false): bigint | undefined {
  const parts = FRACTION.exec(text);
  // parseIsoTime reads the fraction through a float; the seconds alone are exact.
  const millis = parseIsoTime(parts ? `${parts[1]}${parts[3]}` : text);
  if (millis === undefined) return undefined;
  const fraction = parts ? BigInt(parts[2].padEnd(9, '0')) : 0n;
  const ns = BigInt(millis) * NS_PER_MS + fraction;
  return text.length === 10 && endOfDay ? ns + DAY_NS : ns;
}

/** `2026-02-11T09:30:00.123456789Z`: a stored time with all its digits. */
export function isoOfUnixNano(ns: string | bigint): string {
  const { seconds, fraction } = split(ns);
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19)}.${fraction}Z`;
}

/** `2026-02-11 09:30:00.123456789`: the text a `{name:DateTime64(9, 'UTC')}` parameter takes. */
export function storeTimeOfUnixNano(ns: bigint): string {
  const { seconds, fraction } = split(ns);
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19).replace('T', ' ')}.${fraction}`;
}

/** Milliseconds, as a Float, of a count of nanoseconds the store gave as text (UInt64 is quoted). */
export function millisOfNanos(ns: string | number): number {
  return Number(ns) / 1e6;
}

function split(ns: string | bigint): { seconds: bigint; fraction: string } {
  const value = typeof ns === 'bigint' ? ns : BigInt(ns);
  // Floored, so a stored time before 1970 still formats.
  const fraction = ((value % NS_PER_SECOND) + NS_PER_SECOND) % NS_PER_SECOND;
  return { seconds: (value - fraction) / NS_PER_SECOND, fraction: String(fraction).padStart(9, '0') };
}
