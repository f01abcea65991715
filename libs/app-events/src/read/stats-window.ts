import { Type } from '@sinclair/typebox';
import { ValidationFailedError, compileSchema, parseIsoTime } from '@th/platform';
import { EARLIEST_EVENT_MS, MAX_AHEAD_MS } from '../ingest/event-time';
import type { AppStatsFilter } from './app-stats.repository';

const DAY_MS = 86_400_000;
const DATE_OR_TIME = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}(T.*)?$',
  errorMessage: 'must be a date (YYYY-MM-DD) or an ISO-8601 date-time',
});

const validateQuery = compileSchema(
  Type.Object({
    from: Type.Optional(DATE_OR_TIME),
    to: Type.Optional(DATE_OR_TIME),
    evt: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    os: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    version: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  }),
);

/**
 * The period and filters of a stats request. `from`/`to` are dates (whole UTC days, both included)
 * or date-times; without them, the last STATS_WINDOW_DAYS UTC days, today included. `version`
 * filters on the extension version (`ext`). The period is clamped to the accepted event window
 * (2000 to a day ahead): nothing is stored outside it, and a read of years 1 to 9999 must cost no
 * more than one of the whole window.
 */
export function statsFilter(
  query: Record<string, unknown>,
  windowDays: number,
  now = Date.now(),
): AppStatsFilter {
  const defined = Object.fromEntries(
    Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== ''),
  );
  const checked = validateQuery(defined);
  if (!checked.ok) throw new ValidationFailedError(checked.errors);
  const { from, to, evt, os, version } = checked.value;
  // Default: the last windowDays whole UTC days, today included (whole days read from rollups).
  const end = to ? boundary(to, 'to', true) : Math.floor(now / DAY_MS) * DAY_MS + DAY_MS;
  const start = from ? boundary(from, 'from', false) : end - windowDays * DAY_MS;
  if (start >= end) throw new ValidationFailedError([{ field: 'from', message: 'must be before to' }]);
  const lastDay = Math.floor((now + MAX_AHEAD_MS) / DAY_MS) * DAY_MS + DAY_MS;
  const clampedStart = Math.min(Math.max(start, EARLIEST_EVENT_MS), lastDay);
  const clampedEnd = Math.max(Math.min(end, lastDay), clampedStart + 1);
  return { from: clampedStart, to: clampedEnd, evt, os, ext: version };
}

function boundary(text: string, field: string, endOfDay: boolean): number {
  const millis = parseIsoTime(text);
  if (millis === undefined) {
    throw new ValidationFailedError([{ field, message: 'is not a real date (YYYY-MM-DD) or date-time' }]);
  }
  return text.length === 10 && endOfDay ? millis + DAY_MS : millis;
}
