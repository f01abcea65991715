/** Every day from `from` to `to` (YYYY-MM-DD, both included). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(from); t <= Date.parse(to) && days.length < 400; t += 86_400_000)
    days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** Counts (or sums `weight` of) items per UTC day of `time(item)`, over the given days. */
export function perDay<T>(
  days: string[],
  items: T[],
  time: (item: T) => string,
  weight: (item: T) => number = () => 1,
): number[] {
  const totals = new Map<string, number>();
  for (const item of items) {
    const day = time(item).slice(0, 10);
    totals.set(day, (totals.get(day) ?? 0) + weight(item));
  }
  return days.map((d) => totals.get(d) ?? 0);
}
