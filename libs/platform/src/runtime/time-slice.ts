import { performance } from 'node:perf_hooks';

/**
 * How long the event loop's thread may run sliced work before it lets other callbacks in. Every
 * request shares that one thread: a 1,000-event batch takes ~40 ms of validation, hashing and
 * projection, and sixteen of them in a row would hold `/health` for over half a second.
 */
export const SLICE_MS = 8;

let sliceStarted = performance.now();
let nextTurn: Promise<void> | undefined;

/**
 * True once the current slice has used its time. Callers wait with
 * `while (sliceSpent()) await nextSlice();` right before their work, in the same function: a
 * caller that woke behind another must find the fresh slice already spent and wait on, and that
 * holds only if nothing (such as an async helper's return) runs between its check and its work.
 */
export function sliceSpent(): boolean {
  return performance.now() - sliceStarted > SLICE_MS;
}

/**
 * Resolves on the event loop's next turn, after pending I/O (a health probe, a new request) has been
 * served. Every caller waiting meanwhile shares that one turn and one fresh slice, so N concurrent
 * loops together hold the thread for about one slice per turn, not N; the first to wait resumes
 * first, so the oldest work finishes first.
 */
export function nextSlice(): Promise<void> {
  nextTurn ??= new Promise((resolve) =>
    setImmediate(() => {
      nextTurn = undefined;
      sliceStarted = performance.now();
      resolve();
    }),
  );
  return nextTurn;
}

/** `items.forEach(visit)`, yielding the thread whenever the shared slice is spent. */
export async function forEachSliced<T>(
  items: readonly T[],
  visit: (item: T, index: number) => void,
): Promise<void> {
  for (let i = 0; i < items.length; i++) {
    // Checked before every item (a clock read is ~50 ns): an item may be a whole envelope.
    while (sliceSpent()) await nextSlice();
    visit(items[i], i);
  }
}

/** `items.map(project)`, yielding the thread whenever the shared slice is spent. */
export async function mapSliced<T, R>(
  items: readonly T[],
  project: (item: T, index: number) => R,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  await forEachSliced(items, (item, i) => {
    out[i] = project(item, i);
  });
  return out;
}
