import { Inject, Injectable } from '@nestjs/common';
import type { ClickHouseClient } from '@clickhouse/client';
import { CLICKHOUSE } from '@th/store';
import {
  APP_STATS,
  COUNT_APP_EVENTS,
  LIST_APP_EVENTS,
  STATS_SETS,
  type StatsSet,
  groupingMask,
} from './app-stats.query';

export interface AppStatsFilter {
  /** Inclusive, epoch ms. */
  from: number;
  /** Exclusive, epoch ms. */
  to: number;
  evt?: string;
  os?: string;
  ext?: string;
}

export interface CountRow {
  key: string;
  events: number;
  users: number;
}

export interface PerformanceRow {
  evt: string;
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface AppStats {
  from: string;
  to: string;
  total: number;
  uniques: number;
  byEvent: CountRow[];
  byOs: CountRow[];
  byExt: CountRow[];
  byVscode: CountRow[];
  daily: CountRow[];
  hourly: CountRow[];
  performance: PerformanceRow[];
  geo: { byCountry: CountRow[]; byRegion: CountRow[]; byCity: CountRow[] };
}

interface StatsRow {
  set_mask: number;
  evt: string;
  os: string;
  ext: string;
  vscode: string;
  day: string;
  hour: number;
  country: string;
  region: string;
  city: string;
  events: string;
  users: string;
  timed: string;
  mean_ms: number;
  quantiles_ms: number[];
}

export interface AppEventRecord {
  eventId: string;
  ts: string;
  evt: string;
  anonHash: string;
  os: string;
  ext: string;
  vscode: string;
  meta: string;
  country: string;
  region: string;
  city: string;
}

const SET_OF_MASK = new Map<number, StatsSet>(
  (Object.keys(STATS_SETS) as StatsSet[]).map((set) => [groupingMask(STATS_SETS[set]), set]),
);

/** Exact app usage figures from `app_events` (FINAL), one scan for all of them. */
@Injectable()
export class AppStatsRepository {
  constructor(@Inject(CLICKHOUSE) private readonly client: ClickHouseClient) {}

  async stats(filter: AppStatsFilter): Promise<AppStats> {
    const rows = await this.rows<StatsRow>(APP_STATS, params(filter));
    const bySet = new Map<StatsSet, StatsRow[]>();
    for (const row of rows) {
      const set = SET_OF_MASK.get(Number(row.set_mask));
      if (set) bySet.set(set, [...(bySet.get(set) ?? []), row]);
    }
    const counts = (set: StatsSet, key: (row: StatsRow) => string) =>
      (bySet.get(set) ?? [])
        .map((row) => ({ key: key(row), events: Number(row.events), users: Number(row.users) }))
        .sort((a, b) => b.events - a.events || (a.key < b.key ? -1 : 1));
    const chronological = (set: StatsSet, key: (row: StatsRow) => string) =>
      counts(set, key).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const [total] = bySet.get('total') ?? [];
    return {
      from: new Date(filter.from).toISOString(),
      to: new Date(filter.to).toISOString(),
      total: Number(total?.events ?? 0),
      uniques: Number(total?.users ?? 0),
      byEvent: counts('byEvent', (r) => r.evt),
      byOs: counts('byOs', (r) => r.os),
      byExt: counts('byExt', (r) => r.ext),
      byVscode: counts('byVscode', (r) => r.vscode),
      daily: chronological('daily', (r) => r.day),
      hourly: chronological('hourly', (r) => String(r.hour).padStart(2, '0')),
      performance: (bySet.get('byEvent') ?? [])
        .filter((r) => Number(r.timed) > 0)
        .map((r) => ({
          evt: r.evt,
          count: Number(r.timed),
          mean: r.mean_ms,
          p50: r.quantiles_ms[0],
          p95: r.quantiles_ms[1],
          p99: r.quantiles_ms[2],
        }))
        .sort((a, b) => b.count - a.count || (a.evt < b.evt ? -1 : 1)),
      geo: {
        byCountry: counts('byCountry', (r) => r.country),
        byRegion: counts('byRegion', (r) => `${r.country}-${r.region}`),
        byCity: counts('byCity', (r) => `${r.country}-${r.region}-${r.city}`),
      },
    };
  }

  async list(
    filter: AppStatsFilter,
    page: { limit: number; offset: number },
  ): Promise<{ items: AppEventRecord[]; total: number }> {
    const base = params(filter);
    const [rows, [count]] = await Promise.all([
      this.rows<
        Omit<AppEventRecord, 'eventId' | 'anonHash' | 'ts'> & {
          event_id: string;
          anon_hash: string;
          ts: string;
        }
      >(LIST_APP_EVENTS, { ...base, ...page }),
      this.rows<{ total: string }>(COUNT_APP_EVENTS, base),
    ]);
    return {
      items: rows.map(({ event_id, anon_hash, ts, ...rest }) => ({
        ...rest,
        eventId: event_id,
        anonHash: anon_hash,
        ts: new Date(Number(ts)).toISOString(),
      })),
      total: Number(count?.total ?? 0),
    };
  }

  private async rows<T>(query: string, queryParams: Record<string, unknown>): Promise<T[]> {
    const result = await this.client.query({ query, query_params: queryParams, format: 'JSONEachRow' });
    return result.json<T>();
  }
}

function params(filter: AppStatsFilter): Record<string, unknown> {
  return {
    from: clickhouseTime(filter.from),
    to: clickhouseTime(filter.to),
    evt: filter.evt ?? null,
    os: filter.os ?? null,
    ext: filter.ext ?? null,
  };
}

/** `2026-02-11 10:00:00.000`, as DateTime64 parameters are written. */
function clickhouseTime(millis: number): string {
  return new Date(millis).toISOString().replace('T', ' ').replace('Z', '');
}
