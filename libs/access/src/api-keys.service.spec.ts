import type { ApiKeyRecord } from './api-key.schema';
import { apiKeyHash, apiKeyMatches } from './api-key-secret';
import type { ApiKeyStore } from './api-key-store';
import { ApiKeysService, allowsPath } from './api-keys.service';

/** The store's contract, in memory: what the service relies on, nothing more. */
class MemoryStore implements ApiKeyStore {
  readonly mirroredInMemory = false;
  readonly saved: ApiKeyRecord[] = [];
  private readonly byId = new Map<string, ApiKeyRecord>();
  findByHash(keyHash: string) {
    return Promise.resolve([...this.byId.values()].find((r) => r.keyHash === keyHash));
  }
  listByOwner(owner: string) {
    return Promise.resolve([...this.byId.values()].filter((r) => r.owner === owner));
  }
  list() {
    return Promise.resolve([...this.byId.values()]);
  }
  save(record: ApiKeyRecord) {
    this.saved.push(record);
    this.byId.set(record.id, record);
    return Promise.resolve();
  }
  recordUse(record: ApiKeyRecord, at: string) {
    const current = this.byId.get(record.id);
    if (current) this.byId.set(record.id, { ...current, lastUsedAt: at });
    return Promise.resolve();
  }
}

const request = {
  name: 'team',
  scopes: ['devlake:connection'],
  owner: 'devlake-connection:7',
  prefix: 'thk_',
};

describe('ApiKeysService', () => {
  it('issues a random prefixed key, keeps only its hash, and finds it again by the key', async () => {
    const store = new MemoryStore();
    const keys = new ApiKeysService(store);
    const { key, record } = await keys.issue({ ...request, allowedPath: '/plugins/x/connections/7/.*' });
    expect(key).toMatch(/^thk_[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(store.saved)).not.toContain(key);
    expect(record.keyHash).toBe(apiKeyHash(key));
    expect(apiKeyMatches(key, record.keyHash)).toBe(true);
    // A fresh service (another process) reads it from the store.
    expect(await new ApiKeysService(store).find(key)).toEqual(record);
    expect(await keys.find(`${key}x`)).toBeUndefined();
    expect((await keys.issue(request)).key).not.toBe(key);
  });

  it('revokes every live key of an owner, at once in this process and for a fresh reader', async () => {
    const store = new MemoryStore();
    const keys = new ApiKeysService(store);
    const first = await keys.issue(request);
    const second = await keys.issue(request);
    const other = await keys.issue({ ...request, owner: 'devlake-connection:8' });
    expect(await keys.find(first.key)).toBeDefined();
    expect(await keys.revokeOwner('devlake-connection:7')).toBe(2);
    expect(await keys.find(first.key)).toBeUndefined();
    expect(await keys.find(second.key)).toBeUndefined();
    expect(await new ApiKeysService(store).find(second.key)).toBeUndefined();
    expect(await keys.find(other.key)).toBeDefined();
    expect(await keys.revokeOwner('devlake-connection:7')).toBe(0);
  });

  it("matches a key's allowedPath against the whole path only", async () => {
    const { record } = await new ApiKeysService(new MemoryStore()).issue({
      ...request,
      allowedPath: '/plugins/developer_telemetry/connections/1/.*',
    });
    expect(allowsPath(record, '/plugins/developer_telemetry/connections/1/report')).toBe(true);
    expect(allowsPath(record, '/plugins/developer_telemetry/connections/11/report')).toBe(false);
    expect(allowsPath(record, '/plugins/developer_telemetry/connections/1')).toBe(false);
    expect(allowsPath(record, '/x/plugins/developer_telemetry/connections/1/report')).toBe(false);
    expect(allowsPath({ ...record, allowedPath: '' }, '/anything')).toBe(false);
  });

  it('issues access keys with scopes, counts them for the keyless rule, and revokes them for good', async () => {
    const store = new MemoryStore();
    const keys = new ApiKeysService(store);
    await keys.issue({ ...request, allowedPath: '/plugins/x/connections/7/.*' });
    // A connection's key does not end the keyless (localhost) mode.
    expect(await keys.hasAccessKeys()).toBe(false);
    const { key, record } = await keys.issueAccessKey('grafana', ['read']);
    expect(key).toMatch(/^thk_/);
    expect(await keys.hasAccessKeys()).toBe(true);
    await keys.touch(record);
    expect((await keys.list()).find((r) => r.id === record.id)?.lastUsedAt).toEqual(expect.any(String));
    const revoked = await keys.revoke(record.id);
    expect(revoked.revokedAt).toEqual(expect.any(String));
    expect(await keys.find(key)).toBeUndefined();
    // A use noted after the revoke does not bring the key back.
    await store.recordUse(record, new Date().toISOString());
    expect(await new ApiKeysService(store).find(key)).toBeUndefined();
    expect(await keys.hasAccessKeys()).toBe(false);
    await expect(keys.revoke('key_nope')).rejects.toThrow('no API key has the id key_nope');
  });
});
