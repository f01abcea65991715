import { Type } from '@sinclair/typebox';
import {
  type FieldError,
  type PageRequest,
  ValidationFailedError,
  compileSchema,
  oneOf,
  pageErrors,
} from '@th/platform';
import { EARLIEST_NS, LATEST_NS, unixNanoOfIso } from './otel-time';

/** A trace's status: ERROR when any span failed, else OK when any span said OK, else UNSET. */
export const TRACE_STATUSES = ['ERROR', 'OK', 'UNSET'] as const;
export type TraceStatus = (typeof TRACE_STATUSES)[number];

/** A period of time, nanoseconds since the epoch: `from` included, `to` excluded. */
export interface OtelWindow {
  from: bigint;
  to: bigint;
}

export interface TraceListFilter extends OtelWindow {
  service?: string;
  minDurationMs?: number;
  status?: TraceStatus;
}

export interface UsageRequest {
  window: OtelWindow;
  service?: string;
  /** The largest number of rows answered (the busiest first). */
  limit: number;
}

const DATE_OR_TIME = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}([T ].*)?$',
  errorMessage: 'must be a date (YYYY-MM-DD) or an ISO-8601 date-time',
});
const SERVICE = Type.String({ minLength: 1, maxLength: 255 });

const validateWindow = compileSchema(Type.Object({ from: DATE_OR_TIME, to: DATE_OR_TIME }));

const validateTraceFilter = compileSchema(
  Type.Object({
    service: Type.Optional(SERVICE),
    minDuration: Type.Optional(Type.Number({ minimum: 0, errorMessage: 'must be 0 or more milliseconds' })),
    status: Type.Optional(oneOf(TRACE_STATUSES)),
  }),
);

const validateService = compileSchema(Type.Object({ service: Type.Optional(SERVICE) }));

/** A trace id as stored: 32 hex digits, lower-case (upper-case is accepted and folded). */
export function parseTraceId(text: string): string {
  if (!/^[0-9a-fA-F]{32}$/.test(text)) {
    throw new ValidationFailedError([{ field: 'traceId', message: 'must be 32 hexadecimal digits' }]);
  }
  return text.toLowerCase();
}

/**
 * The period of a read. `from`/`to` are dates (whole UTC days, `to`'s day included) or
 * date-times (exact to the nanosecond, `to` excluded); `from` must be before `to`. The period is
 * clamped to what a DateTime64(9) holds, so a read of years 1 to 9999 asks nothing impossible.
 */
export function parseWindow(args: { from?: unknown; to?: unknown }): OtelWindow {
  const { window, errors } = checkWindow(args);
  if (window === undefined) throw new ValidationFailedError(errors);
  return window;
}

/** The filter and page of `traces`; every problem reported at once, each naming its argument. */
export function parseTraceListArgs(
  args: Record<string, unknown>,
  maxPageSize: number,
): { filter: TraceListFilter; page: PageRequest } {
  const { from, to, limit, offset, ...filters } = defined(args);
  const page = { limit: Number(limit), offset: Number(offset) };
  const window = checkWindow({ from, to });
  const checked = validateTraceFilter(filters);
  const errors = [...window.errors, ...(checked.ok ? [] : checked.errors), ...pageErrors(page, maxPageSize)];
  if (window.window === undefined || !checked.ok || errors.length > 0)
    throw new ValidationFailedError(errors);
  const { service, minDuration, status } = checked.value;
  return { filter: { ...window.window, service, minDurationMs: minDuration, status }, page };
}

/** The period, service and row cap of a usage read (`limit` capped by GRAPHQL_MAX_PAGE_SIZE). */
export function parseUsageArgs(args: Record<string, unknown>, maxPageSize: number): UsageRequest {
  const { from, to, limit, ...filters } = defined(args);
  const window = checkWindow({ from, to });
  const checked = validateService(filters);
  const errors = [
    ...window.errors,
    ...(checked.ok ? [] : checked.errors),
    ...pageErrors({ limit: Number(limit), offset: 0 }, maxPageSize),
  ];
  if (window.window === undefined || !checked.ok || errors.length > 0)
    throw new ValidationFailedError(errors);
  return { window: window.window, service: checked.value.service, limit: Number(limit) };
}

function checkWindow(args: { from?: unknown; to?: unknown }): { window?: OtelWindow; errors: FieldError[] } {
  const checked = validateWindow(args);
  const errors = checked.ok ? [] : [...checked.errors];
  // A bound that has the right form is also checked against the calendar, both in one answer.
  const bound = (field: 'from' | 'to'): bigint | undefined => {
    const text = args[field];
    if (typeof text !== 'string' || errors.some((error) => error.field === field)) return undefined;
    const ns = unixNanoOfIso(text, field === 'to');
    if (ns === undefined) errors.push({ field, message: 'is not a real date or date-time' });
    return ns;
  };
  const from = bound('from');
  const to = bound('to');
  if (from === undefined || to === undefined || errors.length > 0) return { errors };
  if (from >= to) return { errors: [{ field: 'from', message: 'must be before to' }] };
  return { window: { from: clamp(from), to: clamp(to) }, errors };
}

function clamp(ns: bigint): bigint {
  return ns < EARLIEST_NS ? EARLIEST_NS : ns > LATEST_NS ? LATEST_NS : ns;
}

/** GraphQL gives absent optional arguments as undefined or null; the schemas want them absent. */
function defined(args: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined && v !== null));
}
