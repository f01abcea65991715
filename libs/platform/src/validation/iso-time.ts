const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-](\d{2}):?(\d{2}))?)?$/;

/**
 * Milliseconds since the epoch of an ISO-8601 date (`2026-02-11`, read as UTC midnight) or
 * date-time, or undefined when it is not a real one. `Date.parse` rolls `2026-02-30` over to
 * 2 March and takes `24:00`; here every part must exist on the calendar and the clock. A
 * date-time without an offset is read as UTC.
 */
export function parseIsoTime(text: string): number | undefined {
  const parts = ISO_8601.exec(text);
  if (!parts) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone, zh = '0', zm = '0'] = parts;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59 || Number(zh) > 23 || Number(zm) > 59)
    return undefined;
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(Number(h), Number(mi), Number(s), Math.floor(Number(`0${fraction || '.0'}`) * 1000));
  const offsetMinutes =
    zone && zone !== 'Z' ? (Number(zh) * 60 + Number(zm)) * (zone[0] === '-' ? -1 : 1) : 0;
  return utc.getTime() - offsetMinutes * 60_000;
}

/** Whether `YYYY-MM-DD` names a day that exists. */
export function isCalendarDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && parseIsoTime(text) !== undefined;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}
