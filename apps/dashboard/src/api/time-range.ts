import { useLocation } from 'preact-iso';

/** The time ranges the picker offers; `custom` reads `from` and `to` from the URL. */
export const RANGES = [
  { id: '1d', label: 'Last 24 hours', days: 1 },
  { id: '7d', label: 'Last 7 days', days: 7 },
  { id: '30d', label: 'Last 30 days', days: 30 },
  { id: '90d', label: 'Last 90 days', days: 90 },
  { id: '365d', label: 'Last year', days: 365 },
] as const;

export const DEFAULT_RANGE = '30d';
const DAY_MS = 86_400_000;

export interface TimeRange {
  /** `7d`, or `custom`. */
  id: string;
  /** First day, YYYY-MM-DD (UTC), included. */
  from: string;
  /** Last day, YYYY-MM-DD (UTC), included. */
  to: string;
  /** `from` and `to` as instants (its first and last millisecond), for the reads that take
   * date-times only (PR traces). */
  fromStart: string;
  toEnd: string;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const isDay = (text: string | undefined): text is string =>
  !!text && /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(text));

/** The range a URL's query asks for: `?range=7d`, or `?from=...&to=...`; the default otherwise. */
export function rangeOf(query: Record<string, string>, now = Date.now()): TimeRange {
  if (isDay(query.from) && isDay(query.to) && query.from <= query.to)
    return instants({ id: 'custom', from: query.from, to: query.to });
  const preset = RANGES.find((r) => r.id === query.range) ?? RANGES.find((r) => r.id === DEFAULT_RANGE)!;
  return instants({ id: preset.id, from: day(now - (preset.days - 1) * DAY_MS), to: day(now) });
}

function instants(range: Pick<TimeRange, 'id' | 'from' | 'to'>): TimeRange {
  return { ...range, fromStart: `${range.from}T00:00:00.000Z`, toEnd: `${range.to}T23:59:59.999Z` };
}

/** The query string that keeps a range in the URL (for links between pages). */
export function rangeQuery(range: TimeRange): string {
  return range.id === 'custom' ? `from=${range.from}&to=${range.to}` : `range=${range.id}`;
}

/** The page's time range, from its URL. */
export function useTimeRange(): TimeRange {
  return rangeOf(useLocation().query);
}

/** A path of the dashboard with the current time range kept. */
export function useHref(): (path: string) => string {
  const range = useTimeRange();
  return (path) => `/dashboard${path}${path.includes('?') ? '&' : '?'}${rangeQuery(range)}`;
}
