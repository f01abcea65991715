import type { ClickHouseClient } from '@clickhouse/client';
import { Logger } from '@nestjs/common';
import { queryRows } from './query-rows';

const DAY_MS = 86_400_000;
/** A rollup is trusted only when computed at least this long after its day's last insert. */
const QUIET_MS = 5_000;

/**
 * How one table's closed days are rolled up. `dayStates` returns, per day in
 * [`{fromDay:Date}`, `{toDay:Date}`) that has rows, `day` (YYYY-MM-DD), `last_inserted` (ms, the
 * last insert into that day) and `generation` (ms, its newest rollup, or null). `rollUp` are the
 * commands that compute one day's rollup from the table FINAL and record it, run in order with
 * `{day:Date}` and `{generation:Int64}` (ms).
 */
export interface DayRollupSpec {
  readonly name: string;
  readonly dayStates: string;
  readonly rollUp: readonly string[];
}

/** How a window is read: which days from rollups (and which generation), which live. */
export interface DayRollupPlan {
  rolledDays: string[];
  rolledGenerations: string[];
  liveDays: string[];
  /** Every UTC day the window touches. */
  days: number[];
}

interface DayState {
  day: string;
  last_inserted: string;
  generation: string | null;
}

const STORE_NOW = `SELECT toUnixTimestamp64Milli(now64(3)) AS now`;

/**
 * Exact per-day rollups of a ReplacingMergeTree table whose reads use FINAL. A closed UTC day
 * wholly inside a window is read from its rollup, computed on first use (and again after any later
 * insert into that day) from the table FINAL, so it is exact; today, days still receiving inserts
 * and partial days are read live. A resend lands as an insert: its day is rolled up again.
 */
export class ClosedDayRollups {
  private readonly logger: Logger;
  private readonly computing = new Map<string, Promise<number>>();

  constructor(
    private readonly client: ClickHouseClient,
    private readonly spec: DayRollupSpec,
  ) {
    this.logger = new Logger(`rollups:${spec.name}`);
  }

  async plan(from: number, to: number): Promise<DayRollupPlan> {
    const now = Number((await queryRows<{ now: string }>(this.client, STORE_NOW, {}))[0].now);
    const today = Math.floor(now / DAY_MS) * DAY_MS;
    const days: number[] = [];
    for (let day = Math.floor(from / DAY_MS) * DAY_MS; day < to; day += DAY_MS) days.push(day);
    const closed = days.filter((day) => day >= from && day + DAY_MS <= to && day < today);

    const rolled = new Map<number, number>();
    const empty = new Set<number>();
    if (closed.length > 0) {
      const states = await queryRows<DayState>(this.client, this.spec.dayStates, {
        fromDay: isoDay(closed[0]),
        toDay: isoDay(closed[closed.length - 1] + DAY_MS),
      });
      const stateOf = new Map(states.map((s) => [s.day, s]));
      await Promise.all(
        closed.map(async (day) => {
          const state = stateOf.get(isoDay(day));
          if (!state) {
            empty.add(day); // no row that day: nothing to read
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
      liveDays: days.filter((day) => !rolled.has(day) && !empty.has(day)).map(isoDay),
      days,
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
    for (const query of this.spec.rollUp) {
      await this.client.command({ query, query_params: { day, generation } });
    }
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
