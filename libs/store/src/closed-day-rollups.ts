import type { ClickHouseClient } from '@clickhouse/client';
import { Logger } from '@nestjs/common';
import { queryRows } from './query-rows';

const DAY_MS = 86_400_000;
/** A rollup is trusted only when computed at least this long after its day's last insert. */
const QUIET_MS = 5_000;

/**
 * How one table's closed days are rolled up. `dayInserts` is the table a materialized view fills
 * with `(day, last_inserted)` on every insert into the source; `generations` the table of
 * `(day, generation)` where each computed rollup is recorded. `rollUp` are the commands that
 * compute one day's rollup from the source FINAL, run in order with `{day:Date}` and
 * `{generation:Int64}` (ms; {@link ROLLUP_GENERATION} is that parameter as a DateTime64).
 */
export interface DayRollupSpec {
  readonly name: string;
  readonly dayInserts: string;
  readonly generations: string;
  readonly rollUp: readonly string[];
}

/** The `{generation:Int64}` parameter of a rollup command, as the DateTime64 its rows carry. */
export const ROLLUP_GENERATION = `fromUnixTimestamp64Milli({generation:Int64}, 'UTC')`;

/** Per day of `{fromDay}`..`{toDay}` with rows: its last insert and its newest rollup, in ms. */
function dayStatesQuery(spec: DayRollupSpec): string {
  return `
  SELECT toString(i.day) AS day,
         toUnixTimestamp64Milli(i.last_inserted) AS last_inserted,
         toUnixTimestamp64Milli(g.generation) AS generation
  FROM (SELECT day, max(last_inserted) AS last_inserted FROM ${spec.dayInserts}
        WHERE day >= {fromDay:Date} AND day < {toDay:Date} GROUP BY day) AS i
  LEFT JOIN (SELECT day, max(generation) AS generation FROM ${spec.generations}
             WHERE day >= {fromDay:Date} AND day < {toDay:Date} GROUP BY day) AS g ON g.day = i.day`;
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
  private readonly dayStates: string;
  private readonly commands: readonly string[];

  constructor(
    private readonly client: ClickHouseClient,
    spec: DayRollupSpec,
  ) {
    this.logger = new Logger(`rollups:${spec.name}`);
    this.dayStates = dayStatesQuery(spec);
    // The rollup is recorded last: a day counts as rolled up only once its rows are all written.
    this.commands = [
      ...spec.rollUp,
      `INSERT INTO ${spec.generations} SELECT {day:Date}, ${ROLLUP_GENERATION}`,
    ];
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
      const states = await queryRows<DayState>(this.client, this.dayStates, {
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
    for (const query of this.commands) {
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
