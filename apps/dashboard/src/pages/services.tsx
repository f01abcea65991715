import { useQuery } from '../api/use-query';
import { useHref, useTimeRange } from '../api/time-range';
import { Chart } from '../components/chart';
import { barOption, lineOption } from '../components/chart-options';
import { DataTable } from '../components/data-table';
import { Panel, Stat } from '../components/panel';

const SERVICES = `query Services($from: String!, $to: String!) {
  endpointUsage(from: $from, to: $to, limit: 100) { serviceName method endpoint calls errors errorRate meanMs p95Ms }
  featureUsage(from: $from, to: $to, limit: 100) { featureName action uses distinctUsers }
  userActivity(from: $from, to: $to) { activeUsers dailyActiveUsers { day users } weeklyActiveUsers { weekStart users } }
  traces(from: $from, to: $to, limit: 100) { totalCount items { traceId rootName serviceName spanCount durationMs status startTime errorCount } }
}`;

interface ServicesData {
  endpointUsage: {
    serviceName: string | null;
    method: string;
    endpoint: string;
    calls: number;
    errors: number;
    errorRate: number;
    meanMs: number;
    p95Ms: number;
  }[];
  featureUsage: { featureName: string; action: string; uses: number; distinctUsers: number }[];
  userActivity: {
    activeUsers: number;
    dailyActiveUsers: { day: string; users: number }[];
    weeklyActiveUsers: { weekStart: string; users: number }[];
  };
  traces: {
    totalCount: number;
    items: {
      traceId: string;
      rootName: string;
      serviceName: string;
      spanCount: number;
      durationMs: number;
      status: string;
      startTime: string;
      errorCount: number;
    }[];
  };
}

/** OpenTelemetry: endpoints by calls, errors and latency; feature use; active users; traces. */
export function Services() {
  const range = useTimeRange();
  const href = useHref();
  const state = useQuery<ServicesData>(SERVICES, { from: range.from, to: range.to });
  return (
    <div class="grid">
      <Panel title="Services" state={state}>
        {(d) => (
          <div class="stats">
            <Stat label="Active users" value={d.userActivity.activeUsers} testId="stat-active-users" />
            <Stat label="Traces" value={d.traces.totalCount} testId="stat-traces" />
            <Stat label="Endpoints" value={d.endpointUsage.length} testId="stat-endpoints" />
          </div>
        )}
      </Panel>
      <Panel title="Top endpoints by calls" state={state} isEmpty={(d) => d.endpointUsage.length === 0}>
        {(d) => (
          <Chart
            label="Top endpoints by calls"
            option={barOption(
              d.endpointUsage
                .slice(0, 12)
                .map((e) => ({ name: `${e.method} ${e.endpoint}`, value: e.calls })),
            )}
          />
        )}
      </Panel>
      <Panel
        title="Active users"
        state={state}
        isEmpty={(d) => d.userActivity.dailyActiveUsers.length === 0}
        wide
      >
        {(d) => (
          <>
            <Chart
              label="Daily active users"
              option={lineOption(
                d.userActivity.dailyActiveUsers.map((u) => u.day),
                [{ name: 'Daily active users', data: d.userActivity.dailyActiveUsers.map((u) => u.users) }],
              )}
            />
            <Chart
              label="Weekly active users"
              height={200}
              option={lineOption(
                d.userActivity.weeklyActiveUsers.map((u) => u.weekStart),
                [{ name: 'Weekly active users', data: d.userActivity.weeklyActiveUsers.map((u) => u.users) }],
              )}
            />
          </>
        )}
      </Panel>
      <Panel title="Endpoints" state={state} isEmpty={(d) => d.endpointUsage.length === 0} wide>
        {(d) => (
          <DataTable
            testId="table-endpoints"
            rows={d.endpointUsage}
            initialSort={{ key: 'calls', descending: true }}
            columns={[
              { key: 'service', label: 'Service', value: (e) => e.serviceName ?? '' },
              { key: 'endpoint', label: 'Endpoint', value: (e) => `${e.method} ${e.endpoint}` },
              { key: 'calls', label: 'Calls', value: (e) => e.calls, numeric: true },
              {
                key: 'errorRate',
                label: 'Error rate',
                value: (e) => e.errorRate,
                render: (e) => `${(e.errorRate * 100).toFixed(1)} %`,
                numeric: true,
              },
              { key: 'p95', label: 'p95 ms', value: (e) => e.p95Ms, numeric: true },
              { key: 'mean', label: 'Mean ms', value: (e) => e.meanMs, numeric: true },
            ]}
          />
        )}
      </Panel>
      <Panel title="Feature usage" state={state} isEmpty={(d) => d.featureUsage.length === 0} wide>
        {(d) => (
          <DataTable
            testId="table-features"
            rows={d.featureUsage}
            initialSort={{ key: 'uses', descending: true }}
            columns={[
              { key: 'feature', label: 'Feature', value: (f) => f.featureName },
              { key: 'action', label: 'Action', value: (f) => f.action },
              { key: 'uses', label: 'Uses', value: (f) => f.uses, numeric: true },
              { key: 'users', label: 'Users', value: (f) => f.distinctUsers, numeric: true },
            ]}
          />
        )}
      </Panel>
      <Panel title="Traces" state={state} isEmpty={(d) => d.traces.items.length === 0} wide>
        {(d) => (
          <DataTable
            testId="table-traces"
            rows={d.traces.items}
            initialSort={{ key: 'start', descending: true }}
            columns={[
              {
                key: 'root',
                label: 'Trace',
                value: (t) => t.rootName,
                render: (t) => <a href={href(`/services/traces/${t.traceId}`)}>{t.rootName || t.traceId}</a>,
              },
              { key: 'service', label: 'Service', value: (t) => t.serviceName },
              { key: 'spans', label: 'Spans', value: (t) => t.spanCount, numeric: true },
              { key: 'duration', label: 'Duration ms', value: (t) => t.durationMs, numeric: true },
              { key: 'status', label: 'Status', value: (t) => t.status },
              { key: 'start', label: 'Start', value: (t) => t.startTime },
            ]}
          />
        )}
      </Panel>
    </div>
  );
}
