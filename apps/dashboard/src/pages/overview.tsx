import { useQuery } from '../api/use-query';
import { useHref, useTimeRange } from '../api/time-range';
import { Chart } from '../components/chart';
import { lineOption } from '../components/chart-options';
import { DataTable } from '../components/data-table';
import { Panel, Stat } from '../components/panel';
import { daysBetween, perDay } from './by-day';

/** How many items per input the per-day chart reads (app events come as exact daily counts). */
const SAMPLE = 500;

const OVERVIEW = `query Overview($from: String!, $to: String!, $fromStart: String!, $toEnd: String!) {
  hubStatus { ingestPerSecond consumerLag deadLetters at }
  appStats(from: $from, to: $to) { total lastEventAt daily { key events } }
  developerMetrics(from: $from, to: $to, limit: ${SAMPLE}) { totalCount items { date receivedAt } }
  prTraces(from: $fromStart, to: $toEnd, limit: ${SAMPLE}) { totalCount items { firstReceivedAt lastReceivedAt eventCount } }
  traces(from: $from, to: $to, limit: ${SAMPLE}) { totalCount items { startTime } }
  scanRuns(limit: 200) { totalCount items { timestamp } }
}`;

interface OverviewData {
  hubStatus: { ingestPerSecond: number; consumerLag: number; deadLetters: number; at: string };
  appStats: { total: number; lastEventAt: string | null; daily: { key: string; events: number }[] };
  developerMetrics: { totalCount: number; items: { date: string; receivedAt: string }[] };
  prTraces: {
    totalCount: number;
    items: { firstReceivedAt: string; lastReceivedAt: string; eventCount: number }[];
  };
  traces: { totalCount: number; items: { startTime: string }[] };
  scanRuns: { totalCount: number; items: { timestamp: string }[] };
}

/** The inputs with more items in the period than the chart read. */
function sampled(d: OverviewData): string[] {
  const inputs = [
    { name: 'Developer reports', total: d.developerMetrics.totalCount },
    { name: 'PR traces', total: d.prTraces.totalCount },
    { name: 'OTel traces', total: d.traces.totalCount },
  ];
  return inputs.filter((input) => input.total > SAMPLE).map((input) => input.name);
}

const latest = (times: string[]) =>
  times.reduce<string | undefined>((a, b) => (!a || b > a ? b : a), undefined);

/** Every input at a glance: what came in per day, the live ingest figures, the last event of each. */
export function Overview() {
  const range = useTimeRange();
  const href = useHref();
  const state = useQuery<OverviewData>(OVERVIEW, {
    from: range.from,
    to: range.to,
    fromStart: range.fromStart,
    toEnd: range.toEnd,
  });
  return (
    <div class="grid">
      <Panel title="Now" state={state}>
        {(d) => (
          <div class="stats">
            <Stat
              label="Ingest rate"
              value={d.hubStatus.ingestPerSecond}
              unit="/s"
              testId="stat-ingest-rate"
            />
            <Stat label="Consumer lag" value={d.hubStatus.consumerLag} testId="stat-consumer-lag" />
            <Stat label="Dead letters" value={d.hubStatus.deadLetters} testId="stat-dead-letters" />
          </div>
        )}
      </Panel>
      <Panel title="In this period" state={state}>
        {(d) => (
          <div class="stats">
            <Stat label="App events" value={d.appStats.total} testId="stat-app-events" />
            <Stat
              label="Developer reports"
              value={d.developerMetrics.totalCount}
              testId="stat-developer-reports"
            />
            <Stat label="PR traces" value={d.prTraces.totalCount} testId="stat-pr-traces" />
            <Stat label="OTel traces" value={d.traces.totalCount} testId="stat-otel-traces" />
            <Stat label="Scan runs (all time)" value={d.scanRuns.totalCount} testId="stat-scan-runs" />
          </div>
        )}
      </Panel>
      <Panel title="Events per input per day" state={state} wide>
        {(d) => {
          const days = daysBetween(range.from, range.to);
          const app = new Map(d.appStats.daily.map((c) => [c.key.slice(0, 10), c.events]));
          return (
            <>
              <Chart
                label="Events per input per day"
                option={lineOption(days, [
                  { name: 'App events', data: days.map((day) => app.get(day) ?? 0) },
                  { name: 'Developer reports', data: perDay(days, d.developerMetrics.items, (i) => i.date) },
                  {
                    name: 'PR trace events',
                    data: perDay(
                      days,
                      d.prTraces.items,
                      (i) => i.firstReceivedAt,
                      (i) => i.eventCount,
                    ),
                  },
                  { name: 'OTel traces', data: perDay(days, d.traces.items, (i) => i.startTime) },
                  { name: 'Scan runs', data: perDay(days, d.scanRuns.items, (i) => i.timestamp) },
                ])}
              />
              {sampled(d).length > 0 ? (
                <p class="meta">
                  {sampled(d).join(', ')}: drawn from the latest {SAMPLE} items of the period (the totals
                  above are exact).
                </p>
              ) : null}
            </>
          );
        }}
      </Panel>
      <Panel title="Last event per input" state={state} wide>
        {(d) => (
          <DataTable
            testId="table-last-events"
            rows={[
              {
                input: 'App usage (jwc.v1)',
                last: d.appStats.lastEventAt ?? undefined,
                path: '/app-usage',
              },
              {
                input: 'Developer reports (DevLake)',
                last: latest(d.developerMetrics.items.map((i) => i.receivedAt)),
                path: '/developers',
              },
              {
                input: 'PR traces',
                last: latest(d.prTraces.items.map((i) => i.lastReceivedAt)),
                path: '/pr-traces',
              },
              {
                input: 'OpenTelemetry',
                last: latest(d.traces.items.map((i) => i.startTime)),
                path: '/services',
              },
              {
                input: 'Code scanning',
                last: latest(d.scanRuns.items.map((i) => i.timestamp)),
                path: '/code-scanning',
              },
            ]}
            columns={[
              {
                key: 'input',
                label: 'Input',
                value: (r) => r.input,
                render: (r) => <a href={href(r.path)}>{r.input}</a>,
              },
              { key: 'last', label: 'Last event', value: (r) => r.last ?? '' },
            ]}
          />
        )}
      </Panel>
    </div>
  );
}
