import { ReadinessRegistry } from './readiness';

describe('ReadinessRegistry', () => {
  it('is ready when every check passes, and names the failing ones otherwise', async () => {
    const registry = new ReadinessRegistry();
    registry.register({ name: 'store', check: async () => undefined });
    expect(await registry.report()).toEqual({ ready: true, checks: { store: { ok: true } } });
    registry.register({ name: 'broker', check: () => Promise.reject(new Error('connection refused')) });
    expect(await registry.report()).toEqual({
      ready: false,
      checks: { store: { ok: true }, broker: { ok: false, error: 'connection refused' } },
    });
  });

  it('does not hang on a dependency that never answers', async () => {
    const registry = new ReadinessRegistry();
    registry.register({ name: 'stuck', check: () => new Promise(() => undefined) });
    const report = await registry.report();
    expect(report).toEqual({
      ready: false,
      checks: { stuck: { ok: false, error: 'stuck did not answer within 2000 ms' } },
    });
  });
});
