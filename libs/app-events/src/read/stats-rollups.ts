import { Inject, Injectable } from '@nestjs/common';
import type { ClickHouseClient } from '@clickhouse/client';
import { CLICKHOUSE, ClosedDayRollups, isoDay } from '@th/store';
import { ROLL_UP_CUBE, ROLL_UP_DURATIONS } from './app-stats.query';

const DAY_MS = 86_400_000;

/** How a stats window is read: which days from rollups (and which generation), which live. */
export interface StatsPlan {
  rolledDays: string[];
  rolledGenerations: string[];
  liveDays: string[];
  /** Whole days of the window: their distinct users come from app_users_daily. */
  wholeDays: string[];
  /** Days only partly in the window: their users are read from app_events. */
  partialDays: string[];
}

/**
 * The per-day rollups behind /stats (app_stats_cube and app_stats_durations, from
 * `app_events FINAL`), and which days of a window are read from them; distinct users of whole
 * days come from app_users_daily.
 */
@Injectable()
export class StatsRollups {
  private readonly rollups: ClosedDayRollups;

  constructor(@Inject(CLICKHOUSE) client: ClickHouseClient) {
    this.rollups = new ClosedDayRollups(client, {
      name: 'app-stats',
      dayInserts: 'app_day_inserts',
      generations: 'app_stats_days',
      rollUp: [ROLL_UP_CUBE, ROLL_UP_DURATIONS],
    });
  }

  async plan(from: number, to: number, filtered: boolean): Promise<StatsPlan> {
    const { days, ...plan } = await this.rollups.plan(from, to);
    const whole = days.filter((day) => day >= from && day + DAY_MS <= to);
    return {
      ...plan,
      wholeDays: filtered ? [] : whole.map(isoDay),
      // Only the first and the last day of a window can be partial.
      partialDays: (filtered ? days : days.filter((day) => day < from || day + DAY_MS > to)).map(isoDay),
    };
  }
}
