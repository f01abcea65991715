import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { HubError, graphql } from './client';
import { useRefreshTick } from './refresh';

export interface QueryState<T> {
  data: T | undefined;
  error: HubError | undefined;
  loading: boolean;
  /** When the shown data was fetched. */
  updatedAt: Date | undefined;
  reload(): void;
}

/**
 * Runs a GraphQL query now, again when its variables change, and on every auto-refresh tick. The
 * last good data stays on screen while a refresh runs; an answer that arrives after a newer
 * request was made is dropped.
 */
export function useQuery<T>(query: string, variables: Record<string, unknown> = {}): QueryState<T> {
  const [state, setState] = useState<Omit<QueryState<T>, 'reload'>>({
    data: undefined,
    error: undefined,
    loading: true,
    updatedAt: undefined,
  });
  const latest = useRef(0);
  const tick = useRefreshTick();
  const [nonce, setNonce] = useState(0);
  const vars = JSON.stringify(variables);
  useEffect(() => {
    const request = ++latest.current;
    setState((s) => ({ ...s, loading: true }));
    graphql<T>(query, JSON.parse(vars) as Record<string, unknown>).then(
      (data) => {
        if (request === latest.current)
          setState({ data, error: undefined, loading: false, updatedAt: new Date() });
      },
      (error: unknown) => {
        if (request !== latest.current) return;
        const failure = error instanceof HubError ? error : new HubError(String(error), undefined, undefined);
        setState((s) => ({ ...s, error: failure, loading: false }));
      },
    );
  }, [query, vars, tick, nonce]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { ...state, reload };
}
