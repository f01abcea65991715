import type { PageRequest } from '@th/platform';
import type { AppEvent } from '../contract/app-event-batch.schema';
import { Inject, Injectable } from '@nestjs/common';
import type { ClickHouseClient } from '@clickhouse/client';
import { CLICKHOUSE, queryRows, storeTime } from '@th/store';
import {
  COUNT_APP_EVENTS,
  LATEST_APP_EVENT,
  LIST_APP_EVENTS,
  STATS_COUNTS,
  STATS_HOURLY_USERS,
  STATS_PERFORMANCE,
  STATS_SETS,
  STATS_USERS,
  type StatsSet,
  groupingMask,
} from './app-stats.query';
import { StatsRollups } from './stats-rollups';

export interface AppStatsFilter {
  /** Inclusive, epoch ms. */
  from: number;
  /** Exclusive, epoch ms. */
  to: number;
  evt?: string;
  os?: string;
  ext?: string;
}

/**
 * The parts of the stats that cost a query of their own beyond the counts: distinct users (total
 * and per day), distinct users per hour, and the duration percentiles. A reader that shows none of
 * them (the dashboard's overview) skips those queries.
 */
export interface StatsParts {
  users: boolean;
  hourlyUsers: boolean;
  performance: boolean;
}

export const ALL_STATS_PARTS: StatsParts = { users: true, hourlyUsers: true, performance: true };

export interface CountRow {
  key: string;
  events: number;
  /** Distinct users: given per day and per hour of the day. */
  users?: number;
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

interface CountsRow {
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
}

interface PerformanceQueryRow {
  evt: string;
  count: string;
  mean: number;
  quantiles: number[];
}

interface UsersRow {
  is_total: number;
  day: string;
  users: string;
}

/** A stored event as listed: the same fields the gateway published. */
export type AppEventRecord = AppEvent;

const SET_OF_MASK = new Map<number, StatsSet>(
  (Object.keys(STATS_SETS) as StatsSet[]).map((set) => [groupingMask(STATS_SETS[set]), set]),
);

/** Exact app usage figures: closed days from their rollups, the rest live from app_events FINAL. */
@Injectable()
export class AppStatsRepository {
  constructor(
    @Inject(CLICKHOUSE) private readonly client: ClickHouseClient,
    private readonly rollups: StatsRollups,
  ) {}

  async stats(filter: AppStatsFilter, parts: StatsParts = ALL_STATS_PARTS): Promise<AppStats> {
    const filtered = filter.evt !== undefined || filter.os !== undefined || filter.ext !== undefined;
    const plan = await this.rollups.plan(filter.from, filter.to, filtered);
    const base = params(filter);
    const rolled = {
      rolledDays: plan.rolledDays,
      rolledGenerations: plan.rolledGenerations,
      liveDays: plan.liveDays,
    };
    const userDays = { userDays: plan.wholeDays, userScanDays: plan.partialDays };
    const none = Promise.resolve([]);
    const [counts, performance, users, hourlyUsers] = await Promise.all([
      queryRows<CountsRow>(this.client, STATS_COUNTS, { ...base, ...rolled }),
      parts.performance
        ? queryRows<PerformanceQueryRow>(this.client, STATS_PERFORMANCE, { ...base, ...rolled })
        : none,
      parts.users ? queryRows<UsersRow>(this.client, STATS_USERS, { ...base, ...userDays }) : none,
      parts.hourlyUsers
        ? queryRows<{ hour: number; users: string }>(this.client, STATS_HOURLY_USERS, {
            ...base,
            ...userDays,
          })
        : none,
    ]);
    const usersOfHour = new Map(hourlyUsers.map((u) => [hourKey(u.hour), Number(u.users)]));
    const bySet = new Map<StatsSet, CountsRow[]>();
    for (const row of counts) {
      const set = SET_OF_MASK.get(Number(row.set_mask));
      if (set) bySet.set(set, [...(bySet.get(set) ?? []), row]);
    }
    const usersOfDay = new Map(
      users.filter((u) => Number(u.is_total) === 0).map((u) => [u.day, Number(u.users)]),
    );
    const totalUsers = Number(users.find((u) => Number(u.is_total) === 1)?.users ?? 0);
    const counted = (set: StatsSet, key: (row: CountsRow) => string) =>
      (bySet.get(set) ?? [])
        .map((row) => ({ key: key(row), events: Number(row.events) }))
        .filter((row) => row.events > 0)
        .sort((a, b) => b.events - a.events || (a.key < b.key ? -1 : 1));
    const chronological = (set: StatsSet, key: (row: CountsRow) => string) =>
      counted(set, key).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const [total] = bySet.get('total') ?? [];
    return {
      from: new Date(filter.from).toISOString(),
      to: new Date(filter.to).toISOString(),
      total: Number(total?.events ?? 0),
      uniques: totalUsers,
      byEvent: counted('byEvent', (r) => r.evt),
      byOs: counted('byOs', (r) => r.os),
      byExt: counted('byExt', (r) => r.ext),
      byVscode: counted('byVscode', (r) => r.vscode),
      daily: chronological('daily', (r) => r.day).map((row) => ({
        ...row,
        users: usersOfDay.get(row.key) ?? 0,
      })),
      hourly: chronological('hourly', (r) => hourKey(r.hour)).map((row) => ({
        ...row,
        users: usersOfHour.get(row.key) ?? 0,
      })),
      performance: performance
        .map((r) => ({
          evt: r.evt,
          count: Number(r.count),
          mean: r.mean,
          p50: r.quantiles[0],
          p95: r.quantiles[1],
          p99: r.quantiles[2],
        }))
        .sort((a, b) => b.count - a.count || (a.evt < b.evt ? -1 : 1)),
      geo: {
        byCountry: counted('byCountry', (r) => geoKey(r.country)),
        byRegion: counted('byRegion', (r) => geoKey(r.country, r.region)),
        byCity: counted('byCity', (r) => geoKey(r.country, r.region, r.city)),
      },
    };
  }

  /** When the newest event of the period (and filters) happened, epoch ms; undefined when none. */
  async latest(filter: AppStatsFilter): Promise<number | undefined> {
    const [row] = await queryRows<{ events: string; latest: string }>(
      this.client,
      LATEST_APP_EVENT,
      params(filter),
    );
    return row && Number(row.events) > 0 ? Number(row.latest) : undefined;
  }

  async list(filter: AppStatsFilter, page: PageRequest): Promise<{ items: AppEventRecord[]; total: number }> {
    const base = params(filter);
    const [rows, [count]] = await Promise.all([
      queryRows<
        Omit<AppEventRecord, 'eventId' | 'anonHash' | 'ts'> & {
          event_id: string;
          anon_hash: string;
          ts: string;
        }
      >(this.client, LIST_APP_EVENTS, { ...base, ...page }),
      queryRows<{ total: string }>(this.client, COUNT_APP_EVENTS, base),
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
}

/** An hour of the day as its key: `00` to `23`. */
function hourKey(hour: number | string): string {
  return String(hour).padStart(2, '0');
}

/** `DE-BY-Munich`; events with no location (no GeoIP database, a private IP) are the key "". */
function geoKey(...parts: string[]): string {
  return parts.every((part) => part === '') ? '' : parts.join('-');
}

function params(filter: AppStatsFilter): Record<string, unknown> {
  return {
    from: storeTime(filter.from),
    to: storeTime(filter.to),
    evt: filter.evt ?? null,
    os: filter.os ?? null,
    ext: filter.ext ?? null,
  };
}
