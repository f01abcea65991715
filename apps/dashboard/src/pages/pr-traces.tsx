import { useLocation } from 'preact-iso';
import { useSetQueryParam } from '../api/query-param';
import { useQuery } from '../api/use-query';
import { useHref, useTimeRange } from '../api/time-range';
import { DataTable } from '../components/data-table';
import { Panel, Stat } from '../components/panel';
import { prLabel } from './pr-label';

const PR_TRACES = `query PrTraces($from: String!, $to: String!, $repo: String, $status: String) {
  prTraces(from: $from, to: $to, repo: $repo, status: $status, limit: 500) {
    totalCount
    items { traceId prId repoName title status branch eventCount lastReceivedAt developerHash }
  }
}`;

interface TraceRow {
  traceId: string;
  prId: string;
  repoName: string;
  title: string;
  status: string;
  branch: string;
  eventCount: number;
  lastReceivedAt: string;
  developerHash: string;
}

/** Per-PR activity traces: searchable by repo, PR, title or branch; each opens as a timeline. */
export function PrTraces() {
  const range = useTimeRange();
  const href = useHref();
  const { query } = useLocation();
  const search = query.q ?? '';
  const state = useQuery<{ prTraces: { totalCount: number; items: TraceRow[] } }>(PR_TRACES, {
    from: range.fromStart,
    to: range.toEnd,
    status: query.status || null,
  });
  const setParam = useSetQueryParam();
  const needle = search.toLowerCase();
  return (
    <div class="grid">
      <Panel title="PR traces" state={state} wide>
        {(d) => {
          const rows = d.prTraces.items.filter((t) =>
            [t.repoName, t.prId, t.title, t.branch].some((field) => field.toLowerCase().includes(needle)),
          );
          return (
            <>
              <div class="filters">
                <label>
                  Search{' '}
                  <input
                    type="search"
                    data-testid="trace-search"
                    placeholder="repository, PR, title or branch"
                    value={search}
                    onInput={(e) => setParam('q', (e.target as HTMLInputElement).value, true)}
                  />
                </label>
                <label>
                  Status{' '}
                  <select
                    value={query.status ?? ''}
                    onChange={(e) => setParam('status', (e.target as HTMLSelectElement).value)}
                  >
                    <option value="">Any</option>
                    <option value="open">Open</option>
                    <option value="merged">Merged</option>
                    <option value="closed">Closed</option>
                  </select>
                </label>
              </div>
              <div class="stats">
                <Stat label="Traces" value={d.prTraces.totalCount} testId="stat-pr-trace-count" />
              </div>
              <DataTable
                testId="table-pr-traces"
                rows={rows}
                initialSort={{ key: 'last', descending: true }}
                columns={[
                  {
                    key: 'pr',
                    label: 'PR',
                    value: (t) => prLabel(t.repoName, t.prId),
                    render: (t) => (
                      <a href={href(`/pr-traces/${encodeURIComponent(t.traceId)}`)}>
                        {prLabel(t.repoName, t.prId)}
                      </a>
                    ),
                  },
                  { key: 'title', label: 'Title', value: (t) => t.title },
                  { key: 'status', label: 'Status', value: (t) => t.status },
                  { key: 'events', label: 'Events', value: (t) => t.eventCount, numeric: true },
                  { key: 'last', label: 'Last event', value: (t) => t.lastReceivedAt },
                ]}
              />
            </>
          );
        }}
      </Panel>
    </div>
  );
}
