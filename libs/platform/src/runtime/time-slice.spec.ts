import { performance } from 'node:perf_hooks';
import { SLICE_MS, forEachSliced, mapSliced } from './time-slice';

/** Busy-waits `ms`: one item of synchronous work. */
const work = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

/**
 * Runs `run` with a timer ticking as often as the thread lets it, and counts the most items of work
 * done between two ticks. Counting items, not milliseconds, keeps the test deterministic on a busy
 * machine: a descheduled thread ends its slice early, with fewer items, never more.
 */
async function mostItemsBetweenTicks(run: (item: () => void) => Promise<unknown>): Promise<number> {
  let most = 0;
  let sinceTick = 0;
  const tick = setInterval(() => {
    sinceTick = 0;
  }, 0);
  await run(() => {
    work(1);
    most = Math.max(most, ++sinceTick);
  });
  clearInterval(tick);
  return most;
}

describe('time slices', () => {
  it('maps every item in order, with its index', async () => {
    const items = Array.from({ length: 1_000 }, (_, i) => i);
    await expect(mapSliced(items, (n, i) => n * 10 + i)).resolves.toEqual(items.map((n) => n * 11));
  });

  it('lets timers run between slices of a long loop', async () => {
    const items = Array.from({ length: 120 }, () => 0);
    const most = await mostItemsBetweenTicks((item) => forEachSliced(items, item));
    // A slice of 1 ms items, plus the one that overran it; unsliced, all 120 run before the timer.
    expect(most).toBeLessThanOrEqual(SLICE_MS + 1);
  });

  it('shares one slice between concurrent loops, instead of one slice each', async () => {
    const items = Array.from({ length: 40 }, () => 0);
    const most = await mostItemsBetweenTicks((item) =>
      Promise.all(Array.from({ length: 8 }, () => forEachSliced(items, item))),
    );
    // Eight loops with a slice each would run 8 × SLICE_MS items per turn.
    expect(most).toBeLessThanOrEqual(SLICE_MS + 1);
  });

  it('finishes the oldest work first', async () => {
    const finished: string[] = [];
    const loop = (name: string) =>
      forEachSliced(
        Array.from({ length: 30 }, () => 1),
        work,
      ).then(() => finished.push(name));
    await Promise.all([loop('first'), loop('second'), loop('third')]);
    expect(finished).toEqual(['first', 'second', 'third']);
  });
});
