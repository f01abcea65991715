import { ClickHouseError } from '@clickhouse/client';
import { clickHouseErrorCode, isTransientStoreError } from './store-errors';

const clickhouse = (code: string, message = 'x') => new ClickHouseError({ message, code, type: 'T' });

describe('isTransientStoreError', () => {
  it('retries a store that is unreachable, busy or timing out', () => {
    expect(
      isTransientStoreError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
    ).toBe(true);
    expect(isTransientStoreError(new Error('Timeout error.'))).toBe(true);
    expect(isTransientStoreError(clickhouse('241'))).toBe(true);
    expect(isTransientStoreError(clickhouse('159'))).toBe(true);
  });

  it("knows chDB's errors by their shape (raised from its own copy of the client library)", () => {
    const fromChdb = Object.assign(new Error('Timeout exceeded'), { code: '159', type: 'TIMEOUT_EXCEEDED' });
    expect(clickHouseErrorCode(fromChdb)).toBe('159');
    expect(isTransientStoreError(Object.assign(new Error('x'), { code: '27', type: 'CANNOT_PARSE' }))).toBe(
      false,
    );
  });

  it('does not retry rows the store refuses, or a bug', () => {
    expect(isTransientStoreError(clickhouse('27', 'Cannot parse input'))).toBe(false);
    expect(isTransientStoreError(clickhouse('252', 'Too many partitions for single INSERT block'))).toBe(
      false,
    );
    expect(isTransientStoreError(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe(
      false,
    );
    expect(isTransientStoreError('not an error')).toBe(false);
  });
});
