/**
 * Python's `round(x, 1)` on a double: the tenth nearest to the exact binary value, ties to even.
 * JavaScript's toFixed rounds an exact tie up, and ties exist here (12.25 is exact in binary), so
 * they are resolved apart: a double is exactly halfway between two tenths only when x·4 is an odd
 * integer (x = odd/20 must be odd/4 to be exact in binary), and x·4 is computed without error.
 */
export function pythonRound1(x: number): number {
  const quarters = x * 4;
  if (Number.isInteger(quarters) && Math.abs(quarters % 2) === 1) {
    const lower = Math.floor(x * 10);
    return (lower % 2 === 0 ? lower : lower + 1) / 10;
  }
  return Number(x.toFixed(1));
}

/**
 * The old dashboard's fix rate: `round(prs_merged / max(prs_total, 1) * 100, 1)`, a percentage
 * with one decimal, computed with the same double operations in the same order.
 */
export function fixRate(prsMerged: number, prsTotal: number): number {
  return pythonRound1((prsMerged / Math.max(prsTotal, 1)) * 100);
}

/** Ours beside it: fixed fingerprints ÷ fingerprints ever seen, as the same kind of percentage. */
export function findingsFixedRate(fixed: number, everSeen: number): number {
  return pythonRound1((fixed / Math.max(everSeen, 1)) * 100);
}
