import { useLocation } from 'preact-iso';
import { useSetQueryParam } from '../api/query-param';
import { useQuery } from '../api/use-query';
import { useTimeRange } from '../api/time-range';
import { Chart } from '../components/chart';
import { barOption } from '../components/chart-options';
import { DataTable } from '../components/data-table';
import { Panel, Stat } from '../components/panel';
import { daysBetween } from './by-day';

const DEVELOPERS = `query Developers($from: String!, $to: String!, $connectionId: Int) {
  connections { id name }
  developerSummaries(from: $from, to: $to, connectionId: $connectionId, limit: 500, top: 10) {
    totalCount
    items {
      developerId daysReported totalActiveHours averageActiveHours totalCommits totalLinesAdded totalLinesDeleted
      testRunsDetected buildCommandsDetected
      topTools { name count } topCommands { name count } topProjects { name count }
    }
  }
  developerMetrics(from: $from, to: $to, connectionId: $connectionId, limit: 500) {
    totalCount items { developerId date activeHours }
  }
}`;

interface NameCount {
  name: string;
  count: number;
}
interface Summary {
  developerId: string;
  daysReported: number;
  totalActiveHours: number;
  averageActiveHours: number;
  totalCommits: number;
  totalLinesAdded: number;
  totalLinesDeleted: number;
  testRunsDetected: number;
  buildCommandsDetected: number;
  topTools: NameCount[];
  topCommands: NameCount[];
  topProjects: NameCount[];
}
interface DevelopersData {
  connections: { id: number; name: string }[];
  developerSummaries: { totalCount: number; items: Summary[] };
  developerMetrics: {
    totalCount: number;
    items: { developerId: string; date: string; activeHours: number }[];
  };
}

/** Sums the named counts of every developer (their top lists) into one list. */
function combined(summaries: Summary[], pick: (s: Summary) => NameCount[]) {
  const totals = new Map<string, number>();
  for (const s of summaries)
    for (const item of pick(s)) totals.set(item.name, (totals.get(item.name) ?? 0) + item.count);
  return [...totals]
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => b.value - a.value)
    .slice(0, 12);
}

/** Developer × day heatmap of active hours. */
function hoursHeatmap(items: DevelopersData['developerMetrics']['items'], from: string, to: string) {
  const days = daysBetween(from, to);
  const developers = [...new Set(items.map((i) => i.developerId))].sort();
  return {
    tooltip: { position: 'top' },
    grid: { left: 140, right: 16, top: 8, bottom: 72 },
    xAxis: { type: 'category', data: days },
    yAxis: { type: 'category', data: developers, axisLabel: { width: 130, overflow: 'truncate' } },
    visualMap: { min: 0, max: 12, calculable: true, orient: 'horizontal', left: 'center', bottom: 0 },
    series: [
      {
        type: 'heatmap',
        data: items.map((i) => [
          days.indexOf(i.date),
          developers.indexOf(i.developerId),
          Math.min(24, i.activeHours),
        ]),
      },
    ],
  };
}

/** DevLake's daily reports: who worked how long, with which tools, commands and projects. */
export function Developers() {
  const range = useTimeRange();
  const { query } = useLocation();
  const connectionId = query.connection ? Number(query.connection) : null;
  const state = useQuery<DevelopersData>(DEVELOPERS, { from: range.from, to: range.to, connectionId });
  const empty = (d: DevelopersData) => d.developerMetrics.totalCount === 0;
  const setParam = useSetQueryParam();
  return (
    <div class="grid">
      <Panel title="Developers" state={state}>
        {(d) => (
          <>
            <label class="filter">
              Connection{' '}
              <select
                value={connectionId ?? ''}
                onChange={(e) => setParam('connection', (e.target as HTMLSelectElement).value)}
              >
                <option value="">All connections</option>
                {d.connections.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </label>
            <div class="stats">
              <Stat label="Developers" value={d.developerSummaries.totalCount} testId="stat-developers" />
              <Stat label="Daily reports" value={d.developerMetrics.totalCount} testId="stat-daily-reports" />
            </div>
          </>
        )}
      </Panel>
      <Panel title="Active hours per developer and day" state={state} isEmpty={empty} wide>
        {(d) => (
          <Chart
            label="Active hours per developer and day"
            option={hoursHeatmap(d.developerMetrics.items, range.from, range.to)}
            height={Math.max(200, 40 + 24 * new Set(d.developerMetrics.items.map((i) => i.developerId)).size)}
          />
        )}
      </Panel>
      <Panel title="Top tools" state={state} isEmpty={empty}>
        {(d) => (
          <Chart
            label="Top tools"
            option={barOption(combined(d.developerSummaries.items, (s) => s.topTools))}
          />
        )}
      </Panel>
      <Panel title="Top commands" state={state} isEmpty={empty}>
        {(d) => (
          <Chart
            label="Top commands"
            option={barOption(combined(d.developerSummaries.items, (s) => s.topCommands))}
          />
        )}
      </Panel>
      <Panel title="Top projects" state={state} isEmpty={empty}>
        {(d) => (
          <Chart
            label="Top projects"
            option={barOption(combined(d.developerSummaries.items, (s) => s.topProjects))}
          />
        )}
      </Panel>
      <Panel title="Per developer" state={state} isEmpty={empty} wide>
        {(d) => (
          <DataTable
            testId="table-developers"
            rows={d.developerSummaries.items}
            initialSort={{ key: 'hours', descending: true }}
            columns={[
              { key: 'developer', label: 'Developer', value: (s) => s.developerId },
              { key: 'days', label: 'Days', value: (s) => s.daysReported, numeric: true },
              { key: 'hours', label: 'Active hours', value: (s) => s.totalActiveHours, numeric: true },
              { key: 'average', label: 'Hours a day', value: (s) => s.averageActiveHours, numeric: true },
              { key: 'commits', label: 'Commits', value: (s) => s.totalCommits, numeric: true },
              { key: 'added', label: 'Lines added', value: (s) => s.totalLinesAdded, numeric: true },
              { key: 'deleted', label: 'Lines deleted', value: (s) => s.totalLinesDeleted, numeric: true },
              { key: 'tests', label: 'Test runs', value: (s) => s.testRunsDetected, numeric: true },
            ]}
          />
        )}
      </Panel>
    </div>
  );
}
