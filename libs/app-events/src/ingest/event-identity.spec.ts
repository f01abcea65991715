import { canonicalJson } from './event-identity';

describe('canonical metadata', () => {
  it('gives the same text for the same metadata in any key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson({ b: 1, a: 2 })).toBe(canonicalJson({ a: 2, b: 1 }));
    expect(canonicalJson({ a: undefined, s: 'x"y' })).toBe('{"s":"x\\"y"}');
  });
});
