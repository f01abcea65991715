import { illFormedTextPath } from './well-formed';

describe('illFormedTextPath', () => {
  it('passes well-formed text, astral characters (surrogate pairs) included', () => {
    expect(illFormedTextPath({ a: 'plain', b: ['😀', { c: 'ü' }], d: 1, e: null })).toBeUndefined();
  });

  it('names the value that holds a lone surrogate', () => {
    expect(illFormedTextPath({ developer: 'x\ud800' })).toBe('developer');
    expect(illFormedTextPath({ metrics: { tools_used: ['ok', '\udc00y'] } })).toBe('metrics.tools_used[1]');
    expect(illFormedTextPath('\ud83d')).toBe('(body)');
  });

  it('names the object whose key holds a lone surrogate', () => {
    expect(illFormedTextPath({ metrics: { commands: { ['git\ud800']: 1 } } })).toBe('metrics.commands');
  });
});
