import { findingsFixedRate, fixRate, pythonRound1 } from './fix-rate';

describe('fixRate', () => {
  it("is the old dashboard's round(merged / max(total, 1) * 100, 1)", () => {
    expect(fixRate(0, 0)).toBe(0);
    expect(fixRate(1, 3)).toBe(33.3);
    expect(fixRate(2, 3)).toBe(66.7);
    expect(fixRate(3, 3)).toBe(100);
    expect(fixRate(1, 8)).toBe(12.5);
  });

  it("rounds as Python does: ties to even on the exact binary value (values from CPython's round)", () => {
    // round(12.25, 1) == 12.2, round(12.75, 1) == 12.8, round(0.25, 1) == 0.2, round(0.35, 1) == 0.3
    // (0.35 is just below in binary), round(2.675, 1) == 2.7
    expect(pythonRound1(12.25)).toBe(12.2);
    expect(pythonRound1(12.75)).toBe(12.8);
    expect(pythonRound1(0.25)).toBe(0.2);
    expect(pythonRound1(0.35)).toBe(0.3);
    expect(pythonRound1(2.675)).toBe(2.7);
    // 49 of 400 merged is exactly 12.25 in doubles too: Python gives 12.2 (toFixed would say 12.3).
    // Checked once against CPython for every merged <= total <= 400 (80,601 pairs): all equal.
    expect(fixRate(49, 400)).toBe(12.2);
    expect(fixRate(51, 400)).toBe(12.8);
  });

  it('gives our findings-fixed rate the same way', () => {
    expect(findingsFixedRate(1, 3)).toBe(33.3);
    expect(findingsFixedRate(0, 0)).toBe(0);
  });
});
