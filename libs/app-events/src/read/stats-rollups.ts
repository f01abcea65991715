import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ClickHouseClient } from '@clickhouse/client';
import { CLICKHOUSE, queryRows } from '@th/store';
import { RECORD_ROLLUP, ROLLUP_STATE, ROLL_UP_CUBE, ROLL_UP_DURATIONS, STORE_NOW } from './app-stats.query';

const DAY_MS = 86_400_000;
/** A rollup is trusted only when computed at least this long after its day's last insert. */
const QUIET_MS = 5_000;

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

interface DayState {
  day: string;
  last_inserted: string;
  generation: string;
}

/**
 * Keeps the per-day rollups of closed days current and plans each stats read. A closed day's
 * rollup is computed on first use (and again after any later insert into that day) from
 * `app_events FINAL`, so it is exact; today, days still receiving inserts, and partial days are
 * always read live.
 */
@Injectable()
export class StatsRollups {
  private readonly logger = new Logger('stats-rollups');
  private readonly computing = new Map<string, Promise<number>>();

  constructor(@Inject(CLICKHOUSE) private readonly client: ClickHouseClient) {}

  async plan(from: number, to: number, filtered: boolean): Promise<StatsPlan> {
    const now = Number((await queryRows<{ now: string }>(this.client, STORE_NOW, {}))[0].now);
    const today = Math.floor(now / DAY_MS) * DAY_MS;
    const days: number[] = [];
    for (let day = Math.floor(from / DAY_MS) * DAY_MS; day < to; day += DAY_MS) days.push(day);
    const whole = days.filter((day) => day >= from && day + DAY_MS <= to);
    const closed = whole.filter((day) => day < today);

    const rolled = new Map<number, number>();
    if (closed.length > 0) {
      const states = await queryRows<DayState>(this.client, ROLLUP_STATE, {
        fromDay: isoDay(closed[0]),
        toDay: isoDay(closed[closed.length - 1] + DAY_MS),
      });
      const stateOf = new Map(states.map((s) => [s.day, s]));
      await Promise.all(
        closed.map(async (day) => {
          const state = stateOf.get(isoDay(day));
          if (!state) {
            rolled.set(day, 0); // no event that day: nothing to read
            return;
          }
          const lastInserted = Number(state.last_inserted);
          const generation = Number(state.generation ?? 0);
          if (generation >= lastInserted + QUIET_MS) rolled.set(day, generation);
          else if (lastInserted <= now - QUIET_MS) rolled.set(day, await this.rollUp(isoDay(day)));
        }),
      );
    }
    const rolledDays = closed.filter((day) => rolled.has(day));
    return {
      rolledDays: rolledDays.map(isoDay),
      rolledGenerations: rolledDays.map((day) => storeTime(rolled.get(day) ?? 0)),
      liveDays: days.filter((day) => !rolled.has(day)).map(isoDay),
      wholeDays: filtered ? [] : whole.map(isoDay),
      // Only the first and the last day of a window can be partial.
      partialDays: (filtered ? days : days.filter((day) => day < from || day + DAY_MS > to)).map(isoDay),
    };
  }

  /** Computes one closed day's rollup; concurrent requests for the same day share the work. */
  private rollUp(day: string): Promise<number> {
    let running = this.computing.get(day);
    if (!running) {
      running = this.computeRollup(day).finally(() => this.computing.delete(day));
      this.computing.set(day, running);
    }
    return running;
  }

  private async computeRollup(day: string): Promise<number> {
    // The generation is taken before reading, so an insert landing during the read makes it stale.
    const generation = Number((await queryRows<{ now: string }>(this.client, STORE_NOW, {}))[0].now);
    const params = { day, generation };
    await this.client.command({ query: ROLL_UP_CUBE, query_params: params });
    await this.client.command({ query: ROLL_UP_DURATIONS, query_params: params });
    await this.client.command({ query: RECORD_ROLLUP, query_params: params });
    this.logger.log({ msg: 'rolled up a closed day', day });
    return generation;
  }
}

export function isoDay(millis: number): string {
  return new Date(millis).toISOString().slice(0, 10);
}

/** `2026-02-11 10:00:00.000`, as DateTime64 parameters are written. */
export function storeTime(millis: number): string {
  return new Date(millis).toISOString().replace('T', ' ').replace('Z', '');
}
