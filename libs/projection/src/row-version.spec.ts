import { firstWinsVersion, rowVersion } from './row-version';

describe('rowVersion', () => {
  it('orders rows by the time they were received', () => {
    const earlier = BigInt(rowVersion('2026-02-11T10:00:00.000Z', { a: 2 }));
    const later = BigInt(rowVersion('2026-02-11T10:00:00.001Z', { a: 1 }));
    expect(later > earlier).toBe(true);
  });

  it('breaks a same-millisecond tie by content, identically on every call', () => {
    const at = '2026-02-11T10:00:00.000Z';
    const a = rowVersion(at, { active_hours: 1 });
    const b = rowVersion(at, { active_hours: 2 });
    expect(a).not.toBe(b);
    expect(rowVersion(at, { active_hours: 1 })).toBe(a);
  });

  it('fits in a UInt64', () => {
    expect(BigInt(rowVersion('2200-01-01T00:00:00.000Z', {})) < 2n ** 64n).toBe(true);
  });
});

describe('firstWinsVersion', () => {
  it('gives the row received first the highest version, within a UInt64', () => {
    const first = BigInt(firstWinsVersion('2026-02-11T10:00:00.000Z', 'a'));
    const second = BigInt(firstWinsVersion('2026-02-11T10:00:00.001Z', 'b'));
    expect(first > second).toBe(true);
    expect(first < 2n ** 64n && second > 0n).toBe(true);
  });
});
