import { ValidationFailedError } from '@th/platform';
import { parseTraceId, parseTraceListArgs, parseUsageArgs, parseWindow } from './otel.args';
import { LATEST_NS, isoOfUnixNano, storeTimeOfUnixNano, unixNanoOfIso } from './otel-time';

/** The field errors a call throws (it must throw a ValidationFailedError). */
function fieldErrors(call: () => unknown): { field: string; message: string }[] {
  try {
    call();
  } catch (error) {
    if (error instanceof ValidationFailedError) return error.errors;
    throw error;
  }
  throw new Error('expected a ValidationFailedError');
}

const PAGE = { limit: 100, offset: 0 };

describe('parseTraceId', () => {
  it('folds an upper-case id to the stored lower case', () => {
    expect(parseTraceId('4BF92F3577B34DA6A3CE929D0E0E4736')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it.each(['4bf92f3577b34da6', '4bf92f3577b34da6a3ce929d0e0e473g', ''])('refuses %j', (id) => {
    expect(fieldErrors(() => parseTraceId(id))).toEqual([
      { field: 'traceId', message: 'must be 32 hexadecimal digits' },
    ]);
  });
});

describe('parseWindow', () => {
  it('reads dates as whole UTC days, the day of to included', () => {
    const window = parseWindow({ from: '2026-02-11', to: '2026-02-11' });

    expect(isoOfUnixNano(window.from)).toBe('2026-02-11T00:00:00.000000000Z');
    expect(isoOfUnixNano(window.to)).toBe('2026-02-12T00:00:00.000000000Z');
  });

  it('keeps every digit of a date-time, so a span start can be given back as a bound', () => {
    const window = parseWindow({ from: '2026-02-11T09:30:00.123456789+01:00', to: '2026-02-12T00:00:00Z' });

    expect(storeTimeOfUnixNano(window.from)).toBe('2026-02-11 08:30:00.123456789');
  });

  it('refuses a period that does not start before it ends', () => {
    expect(
      fieldErrors(() => parseWindow({ from: '2026-02-12T00:00:00Z', to: '2026-02-12T00:00:00Z' })),
    ).toEqual([{ field: 'from', message: 'must be before to' }]);
  });

  it('names each bound that is not a real date, both in one answer', () => {
    expect(fieldErrors(() => parseWindow({ from: '2026-02-30', to: 'tomorrow' }))).toEqual([
      { field: 'to', message: 'must be a date (YYYY-MM-DD) or an ISO-8601 date-time' },
      { field: 'from', message: 'is not a real date or date-time' },
    ]);
  });

  it('requires both bounds', () => {
    expect(fieldErrors(() => parseWindow({ from: '2026-02-11' }))).toEqual([
      { field: 'to', message: 'is required' },
    ]);
  });

  it('clamps a far period to what the store holds instead of failing', () => {
    const window = parseWindow({ from: '1000-01-01', to: '9999-12-31' });

    expect(window).toEqual({ from: 0n, to: LATEST_NS });
    expect(storeTimeOfUnixNano(window.to)).toBe('2262-04-11 23:47:16.854775807');
  });
});

describe('parseTraceListArgs', () => {
  it('gives the filter with absent arguments left out', () => {
    const { filter, page } = parseTraceListArgs(
      { from: '2026-02-11', to: '2026-02-12', service: 'api', status: 'ERROR', minDuration: 250, ...PAGE },
      500,
    );

    expect(filter).toEqual({
      from: unixNanoOfIso('2026-02-11'),
      to: unixNanoOfIso('2026-02-13'),
      service: 'api',
      minDurationMs: 250,
      status: 'ERROR',
    });
    expect(page).toEqual(PAGE);
  });

  it('reports every bad argument at once', () => {
    const errors = fieldErrors(() =>
      parseTraceListArgs(
        { from: '2026-02-12', to: '2026-02-11', status: 'FAILED', minDuration: -1, limit: 501, offset: -1 },
        500,
      ),
    );

    expect(errors).toEqual([
      { field: 'from', message: 'must be before to' },
      { field: 'minDuration', message: 'must be 0 or more milliseconds' },
      { field: 'status', message: 'must be one of ERROR, OK, UNSET' },
      { field: 'limit', message: 'must be from 1 to 500' },
      { field: 'offset', message: 'must be a non-negative integer' },
    ]);
  });

  it('treats null arguments (GraphQL variables set to null) as absent', () => {
    const { filter } = parseTraceListArgs(
      { from: '2026-02-11', to: '2026-02-12', service: null, status: null, minDuration: null, ...PAGE },
      500,
    );

    expect(filter.service).toBeUndefined();
    expect(filter.status).toBeUndefined();
  });
});

describe('parseUsageArgs', () => {
  it('caps the rows at the page size limit', () => {
    expect(
      fieldErrors(() => parseUsageArgs({ from: '2026-02-11', to: '2026-02-12', limit: 0 }, 500)),
    ).toEqual([{ field: 'limit', message: 'must be from 1 to 500' }]);
  });

  it('refuses an empty service name', () => {
    expect(
      fieldErrors(() =>
        parseUsageArgs({ from: '2026-02-11', to: '2026-02-12', service: '', limit: 10 }, 500),
      ),
    ).toEqual([{ field: 'service', message: 'must NOT have fewer than 1 characters' }]);
  });
});

describe('isoOfUnixNano', () => {
  it('writes all nine digits of a stored time', () => {
    expect(isoOfUnixNano('1770802200000000007')).toBe('2026-02-11T09:30:00.000000007Z');
  });
});
