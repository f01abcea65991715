import type { ComponentChildren } from 'preact';
import type { HubError } from '../api/client';
import type { QueryState } from '../api/use-query';
import { format } from './data-table';

/** A titled card that shows its query's loading, error and empty states, else its content. */
export function Panel<T>({
  title,
  state,
  isEmpty,
  children,
  wide,
  emptyText = 'Nothing in this period.',
}: {
  title: string;
  state: Pick<QueryState<T>, 'data' | 'error' | 'loading'>;
  isEmpty?: (data: T) => boolean;
  children: (data: T) => ComponentChildren;
  wide?: boolean;
  /** What an empty answer says (code scanning has no period: "None yet."). */
  emptyText?: string;
}) {
  const { data, error, loading } = state;
  return (
    <section class={wide ? 'panel wide' : 'panel'} aria-busy={loading}>
      <h2>{title}</h2>
      {error ? <ErrorNote error={error} /> : null}
      {data === undefined ? (
        loading ? (
          <p class="loading">Loading…</p>
        ) : null
      ) : isEmpty?.(data) ? (
        <p class="empty">{emptyText}</p>
      ) : (
        children(data)
      )}
    </section>
  );
}

/** An error in the page (one that wants a key also brings up the sign-in bar at the top). */
export function ErrorNote({ error }: { error: HubError }) {
  return (
    <p class="error" role="alert">
      {error.message}
    </p>
  );
}

/** One figure with its label; `testId` lets the browser suite read it. */
export function Stat({
  label,
  value,
  testId,
  unit,
}: {
  label: string;
  value: number | string | null | undefined;
  testId: string;
  unit?: string;
}) {
  return (
    <div class="stat">
      <span class="stat-label">{label}</span>
      <span class="stat-value" data-testid={testId}>
        {format(value)}
        {unit && value !== null && value !== undefined ? unit : ''}
      </span>
    </div>
  );
}
