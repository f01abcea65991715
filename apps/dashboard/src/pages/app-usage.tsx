import { useQuery } from '../api/use-query';
import { useTimeRange } from '../api/time-range';
import { Chart } from '../components/chart';
import { barOption, lineOption } from '../components/chart-options';
import { DataTable } from '../components/data-table';
import { Panel, Stat } from '../components/panel';

const APP_USAGE = `query AppUsage($from: String!, $to: String!) {
  appStats(from: $from, to: $to) {
    total uniques
    daily { key events users }
    hourly { key events }
    byEvent { key events users }
    byOs { key events users }
    byExt { key events users }
    performance { evt count mean p50 p95 p99 }
    geo { byCountry { key events users } }
  }
}`;

interface Count {
  key: string;
  events: number;
  users?: number | null;
}
interface AppUsageData {
  appStats: {
    total: number;
    uniques: number;
    daily: Count[];
    hourly: Count[];
    byEvent: Count[];
    byOs: Count[];
    byExt: Count[];
    performance: { evt: string; count: number; mean: number; p50: number; p95: number; p99: number }[];
    geo: { byCountry: Count[] };
  };
}

const bars = (counts: Count[]) =>
  barOption(counts.slice(0, 15).map((c) => ({ name: c.key || '(none)', value: c.events })));

/** Hour-of-day heatmap (UTC, over the period): events and distinct users per hour. */
function heatmap(hourly: Count[]) {
  const hours = Array.from({ length: 24 }, (_, i) => String(i).padStart(2, '0'));
  const byHour = new Map(hourly.map((h) => [h.key.padStart(2, '0'), h]));
  const rows = ['Events', 'Users'];
  const cells = hours.flatMap((hour, x) => {
    const h = byHour.get(hour);
    return [
      [x, 0, h?.events ?? 0],
      [x, 1, h?.users ?? 0],
    ];
  });
  const max = Math.max(1, ...hourly.map((h) => h.events));
  return {
    tooltip: { position: 'top' },
    grid: { left: 64, right: 16, top: 8, bottom: 72 },
    xAxis: { type: 'category', data: hours, name: 'hour (UTC)' },
    yAxis: { type: 'category', data: rows },
    visualMap: { min: 0, max, calculable: true, orient: 'horizontal', left: 'center', bottom: 0 },
    series: [{ type: 'heatmap', data: cells }],
  };
}

/** What the old app-usage dashboard showed, and more, over the picked period. */
export function AppUsage() {
  const range = useTimeRange();
  const state = useQuery<AppUsageData>(APP_USAGE, { from: range.from, to: range.to });
  const empty = (d: AppUsageData) => d.appStats.total === 0;
  return (
    <div class="grid">
      <Panel title="App usage" state={state}>
        {(d) => (
          <div class="stats">
            <Stat label="Events" value={d.appStats.total} testId="stat-app-total" />
            <Stat label="Unique users" value={d.appStats.uniques} testId="stat-app-uniques" />
          </div>
        )}
      </Panel>
      <Panel title="Events and users per day" state={state} isEmpty={empty} wide>
        {(d) => (
          <Chart
            label="Events and unique users per day"
            option={lineOption(
              d.appStats.daily.map((c) => c.key.slice(0, 10)),
              [
                { name: 'Events', data: d.appStats.daily.map((c) => c.events) },
                { name: 'Unique users', data: d.appStats.daily.map((c) => c.users ?? 0) },
              ],
            )}
          />
        )}
      </Panel>
      <Panel title="By event type" state={state} isEmpty={empty}>
        {(d) => <Chart label="Events by type" option={bars(d.appStats.byEvent)} />}
      </Panel>
      <Panel title="By OS" state={state} isEmpty={empty}>
        {(d) => <Chart label="Events by operating system" option={bars(d.appStats.byOs)} />}
      </Panel>
      <Panel title="By extension version" state={state} isEmpty={empty}>
        {(d) => <Chart label="Events by extension version" option={bars(d.appStats.byExt)} />}
      </Panel>
      <Panel title="By country" state={state} isEmpty={empty}>
        {(d) => (
          <DataTable
            testId="table-geo"
            rows={d.appStats.geo.byCountry}
            initialSort={{ key: 'events', descending: true }}
            columns={[
              { key: 'country', label: 'Country', value: (c) => c.key || '(unknown)' },
              { key: 'events', label: 'Events', value: (c) => c.events, numeric: true },
              { key: 'users', label: 'Users', value: (c) => c.users ?? null, numeric: true },
            ]}
          />
        )}
      </Panel>
      <Panel title="Hour of day" state={state} isEmpty={empty} wide>
        {(d) => (
          <Chart label="Events and users by hour of day" option={heatmap(d.appStats.hourly)} height={200} />
        )}
      </Panel>
      <Panel title="Performance (duration_ms)" state={state} isEmpty={empty} wide>
        {(d) => (
          <DataTable
            testId="table-performance"
            rows={d.appStats.performance}
            initialSort={{ key: 'count', descending: true }}
            columns={[
              { key: 'evt', label: 'Event type', value: (p) => p.evt },
              { key: 'count', label: 'Count', value: (p) => p.count, numeric: true },
              { key: 'mean', label: 'Mean', value: (p) => p.mean, numeric: true },
              { key: 'p50', label: 'p50', value: (p) => p.p50, numeric: true },
              { key: 'p95', label: 'p95', value: (p) => p.p95, numeric: true },
              { key: 'p99', label: 'p99', value: (p) => p.p99, numeric: true },
            ]}
          />
        )}
      </Panel>
    </div>
  );
}
