import { statsFilter } from './stats-window';

const now = Date.UTC(2026, 10, 22, 12);

describe('statsFilter', () => {
  it('defaults to the last STATS_WINDOW_DAYS whole UTC days, today included', () => {
    expect(statsFilter({}, 7, now)).toEqual({ from: Date.UTC(2026, 10, 16), to: Date.UTC(2026, 10, 23) });
  });

  it('reads whole days, both included, and the filters', () => {
    expect(
      statsFilter({ from: '2022-01-01', to: '2022-01-02', evt: 'app.started', version: '1.0.1' }, 7, now),
    ).toEqual({
      from: Date.UTC(2022, 0, 1),
      to: Date.UTC(2022, 0, 3),
      evt: 'app.started',
      ext: '1.0.1',
    });
  });

  it('clamps the period to the accepted event window (2000 to a day ahead), so no range costs more', () => {
    expect(statsFilter({ from: '0001-01-01', to: '9999-12-31' }, 7, now)).toEqual({
      from: Date.UTC(2000, 0, 1),
      to: Date.UTC(2026, 10, 24),
    });
    const past = statsFilter({ from: '1500-01-01', to: '1500-01-02' }, 7, now);
    expect(past.to - past.from).toBe(1);
  });

  it('refuses a bad or inverted period', () => {
    expect(() => statsFilter({ from: 'last week' }, 7, now)).toThrow('from must be a date');
    expect(() => statsFilter({ from: '2022-01-05', to: '2022-01-01' }, 7, now)).toThrow(
      'from must be before to',
    );
  });

  it('refuses a day that does not exist instead of rolling it over to March', () => {
    expect(() => statsFilter({ from: '2026-02-30' }, 7, now)).toThrow('from is not a real date');
    expect(() => statsFilter({ to: '2026-02-28T24:00:00Z' }, 7, now)).toThrow('to is not a real date');
  });
});
