import { TransientError, isRetriable } from './retriable';

describe('isRetriable', () => {
  it('is true only for errors that say so', () => {
    expect(isRetriable(new TransientError('store unreachable'))).toBe(true);
    expect(isRetriable(Object.assign(new Error('x'), { retriable: true }))).toBe(true);
    expect(isRetriable(new SyntaxError('Unexpected token'))).toBe(false);
    expect(isRetriable(Object.assign(new Error('x'), { retriable: 'yes' }))).toBe(false);
    expect(isRetriable('a string')).toBe(false);
    expect(isRetriable(undefined)).toBe(false);
  });
});
