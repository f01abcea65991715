import { Inject, Injectable } from '@nestjs/common';
import type { ApiKeyRecord } from './api-key.schema';
import { apiKeyHash, newApiKey, newApiKeyId } from './api-key-secret';
import { API_KEY_STORE, type ApiKeyStore } from './api-key-store';

/** How long a key looked up for a request is trusted before it is read again. */
const CACHE_TTL_MS = 5_000;
/** Keys remembered at most (guessed keys included): past it the cache starts afresh. */
const CACHE_MAX_ENTRIES = 10_000;

export interface ApiKeyRequest {
  name: string;
  scopes: readonly string[];
  /** A path pattern the key may reach (see {@link allowsPath}); empty for none. */
  allowedPath?: string;
  owner?: string;
  /** The key's recognisable start. */
  prefix: string;
  /** A key to adopt instead of a random one (one another system issued); kept as a hash too. */
  key?: string;
}

/** A key just issued: the only moment its plain text exists. */
export interface IssuedApiKey {
  record: ApiKeyRecord;
  key: string;
}

/**
 * The one key store of the hub: issues keys (shown once, kept as hashes), finds the live key a
 * request presents, and revokes keys. Lookups read through a short cache, exact for changes made
 * by this process; other processes see a revocation within the cache's 5 seconds.
 */
@Injectable()
export class ApiKeysService {
  private readonly cache = new Map<string, { record: ApiKeyRecord | undefined; readAt: number }>();

  constructor(@Inject(API_KEY_STORE) private readonly store: ApiKeyStore) {}

  async issue(request: ApiKeyRequest): Promise<IssuedApiKey> {
    const key = request.key ?? newApiKey(request.prefix);
    const record: ApiKeyRecord = {
      id: newApiKeyId(),
      name: request.name,
      keyHash: apiKeyHash(key),
      scopes: [...request.scopes],
      allowedPath: request.allowedPath ?? '',
      owner: request.owner ?? '',
      createdAt: new Date().toISOString(),
      revokedAt: null,
    };
    await this.store.save(record);
    this.remember(record.keyHash, record);
    return { record, key };
  }

  /** The live (unrevoked) key with this plain text, or undefined. */
  async find(key: string): Promise<ApiKeyRecord | undefined> {
    const hash = apiKeyHash(key);
    const entry = this.cache.get(hash);
    const record = entry && Date.now() - entry.readAt < CACHE_TTL_MS ? entry.record : await this.read(hash);
    return record && record.revokedAt === null ? record : undefined;
  }

  /** Every key of an owner, revoked ones included, oldest first. */
  listByOwner(owner: string): Promise<ApiKeyRecord[]> {
    return this.store.listByOwner(owner);
  }

  /** Revokes every live key of an owner; returns how many. */
  async revokeOwner(owner: string): Promise<number> {
    const live = (await this.store.listByOwner(owner)).filter((record) => record.revokedAt === null);
    const revokedAt = new Date().toISOString();
    for (const record of live) {
      const revoked = { ...record, revokedAt };
      await this.store.save(revoked);
      this.remember(record.keyHash, revoked);
    }
    return live.length;
  }

  private async read(hash: string): Promise<ApiKeyRecord | undefined> {
    const record = await this.store.findByHash(hash);
    this.remember(hash, record);
    return record;
  }

  private remember(hash: string, record: ApiKeyRecord | undefined): void {
    if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.clear();
    this.cache.set(hash, { record, readAt: Date.now() });
  }
}

/**
 * Whether a key may reach `path`: its `allowedPath` (a pattern this hub wrote when it issued the
 * key, DevLake's form such as `/plugins/developer_telemetry/connections/7/.*`) matches the whole path.
 */
export function allowsPath(record: ApiKeyRecord, path: string): boolean {
  return record.allowedPath !== '' && new RegExp(`^(?:${record.allowedPath})$`).test(path);
}
