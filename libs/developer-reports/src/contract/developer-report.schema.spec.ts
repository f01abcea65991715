import { compileSchema } from '@th/platform';
import { DeveloperReportSchema } from './developer-report.schema';

const validate = compileSchema(DeveloperReportSchema);
const valid = { date: '2024-02-29', developer: 'ada', metrics: {} };

describe('DeveloperReportSchema', () => {
  it('accepts a minimal report and ignores unknown fields, as the DevLake plugin does', () => {
    expect(validate(valid).ok).toBe(true);
    expect(validate({ ...valid, future_field: 1, metrics: { new_metric: 2 } }).ok).toBe(true);
  });

  it.each([
    '2026-02-29',
    '2026-02-30',
    '2026-13-01',
    '2026-1-05',
    '11/02/2026',
    '2026-02-11T00:00:00Z',
    // Outside the store's Date range: it would be clamped onto another day's row.
    '1900-01-01',
    '1969-12-31',
    '2149-06-07',
    '9999-12-31',
  ])('rejects %s as a date', (date) => {
    const result = validate({ ...valid, date });
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          field: 'date',
          message: 'must be a real calendar date in YYYY-MM-DD format, from 1970-01-01 to 2149-06-06',
        },
      ],
    });
  });

  it('accepts the first and last days the store can hold', () => {
    expect(validate({ ...valid, date: '1970-01-01' }).ok).toBe(true);
    expect(validate({ ...valid, date: '2149-06-06' }).ok).toBe(true);
  });

  it('rejects a blank developer and out-of-range hours', () => {
    const result = validate({ ...valid, developer: '   ', metrics: { active_hours: -0.5 } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.field)).toEqual(['developer', 'metrics.active_hours']);
  });

  it('accepts fractional hours and the 0 and 24 bounds', () => {
    for (const active_hours of [0, 7.5, 24])
      expect(validate({ ...valid, metrics: { active_hours } }).ok).toBe(true);
  });
});
