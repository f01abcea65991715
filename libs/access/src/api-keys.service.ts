import { Inject, Injectable } from '@nestjs/common';
import { type ApiKeyScope, NotFoundError } from '@th/platform';
import type { ApiKeyRecord } from './api-key.schema';
import { apiKeyHash, newApiKey, newApiKeyId } from './api-key-secret';
import { API_KEY_STORE, type ApiKeyStore } from './api-key-store';

/** How long a key looked up for a request is trusted before it is read again. */
const CACHE_TTL_MS = 5_000;
/**
 * How long "no such key" is trusted: short, so a key just issued on another replica works there
 * within a second of reaching it; guesses are bounded by the failed-authentication limits.
 */
const UNKNOWN_KEY_TTL_MS = 1_000;
/** A key's last use is written at most this often (per process): a busy key is not a write per request. */
const LAST_USE_RESOLUTION_MS = 60_000;
/** The prefix of every key the hub issues: a leaked key is easy to spot in a scanner or a log. */
export const API_KEY_PREFIX = 'thk_';
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
  /** An id to give it instead of a random one (a key every replica adopts alike). */
  id?: string;
}

/** A key just issued: the only moment its plain text exists. */
export interface IssuedApiKey {
  record: ApiKeyRecord;
  key: string;
}

/**
 * The one key store of the hub: issues keys (shown once, kept as hashes), finds the live key a
 * request presents, and revokes keys. Over ClickHouse, lookups read through a short cache, exact
 * for changes made by this process; other processes see a revocation within its 5 seconds. Over
 * the Kafka topic's in-memory mirror there is no cache: a change counts once the mirror has it.
 */
@Injectable()
export class ApiKeysService {
  private readonly cache = new Map<string, { record: ApiKeyRecord | undefined; readAt: number }>();
  private readonly lastUseWritten = new Map<string, number>();
  private accessKeys: { exist: boolean; readAt: number } | undefined;

  constructor(@Inject(API_KEY_STORE) private readonly store: ApiKeyStore) {}

  async issue(request: ApiKeyRequest): Promise<IssuedApiKey> {
    const key = request.key ?? newApiKey(request.prefix);
    const record: ApiKeyRecord = {
      id: request.id ?? newApiKeyId(),
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
    if (this.store.mirroredInMemory) {
      const mirrored = await this.store.findByHash(hash);
      return mirrored && mirrored.revokedAt === null ? mirrored : undefined;
    }
    const entry = this.cache.get(hash);
    const ttl = entry?.record ? CACHE_TTL_MS : UNKNOWN_KEY_TTL_MS;
    const record = entry && Date.now() - entry.readAt < ttl ? entry.record : await this.read(hash);
    return record && record.revokedAt === null ? record : undefined;
  }

  /** A key for people and tools (not tied to a resource): `read`, `admin`, `ingest`. */
  issueAccessKey(name: string, scopes: readonly ApiKeyScope[], key?: string): Promise<IssuedApiKey> {
    this.accessKeys = undefined;
    return this.issue({ name, scopes, prefix: API_KEY_PREFIX, key });
  }

  /**
   * BOOTSTRAP_ADMIN_KEY: adopted once, under an id derived from its hash (replicas starting together
   * write the same record). A key revoked since is not brought back by a restart.
   */
  async adoptBootstrapKey(key: string): Promise<void> {
    const hash = apiKeyHash(key);
    if (await this.store.findByHash(hash)) return;
    this.accessKeys = undefined;
    await this.issue({
      name: 'bootstrap (BOOTSTRAP_ADMIN_KEY)',
      scopes: ['admin'],
      prefix: API_KEY_PREFIX,
      key,
      id: `key_bootstrap_${hash.slice('sha256:'.length, 'sha256:'.length + 12)}`,
    });
  }

  /** Every key, revoked ones included, oldest first. */
  list(): Promise<ApiKeyRecord[]> {
    return this.store.list();
  }

  /** Revokes one key by its id; a key already revoked stays as it was. */
  async revoke(id: string): Promise<ApiKeyRecord> {
    const record = (await this.store.list()).find((r) => r.id === id);
    if (!record) throw new NotFoundError(`no API key has the id ${id}`);
    if (record.revokedAt !== null) return record;
    const revoked = { ...record, revokedAt: new Date().toISOString() };
    await this.store.save(revoked);
    this.remember(record.keyHash, revoked);
    this.accessKeys = undefined;
    return revoked;
  }

  /**
   * Whether any live key may read or administer (connection keys do not count): until one exists,
   * reads and admin are served keyless to localhost only. Read through the short cache.
   */
  async hasAccessKeys(): Promise<boolean> {
    if (this.accessKeys && Date.now() - this.accessKeys.readAt < CACHE_TTL_MS) return this.accessKeys.exist;
    const exist = (await this.store.list()).some(
      (r) =>
        r.revokedAt === null &&
        r.allowedPath === '' &&
        (r.scopes.includes('read') || r.scopes.includes('admin')),
    );
    this.accessKeys = { exist, readAt: Date.now() };
    return exist;
  }

  /** Records that a request used the key (at most once a minute per key and process). */
  async touch(record: ApiKeyRecord): Promise<void> {
    const now = Date.now();
    if (now - (this.lastUseWritten.get(record.id) ?? 0) < LAST_USE_RESOLUTION_MS) return;
    this.lastUseWritten.set(record.id, now);
    if (this.lastUseWritten.size > CACHE_MAX_ENTRIES) this.lastUseWritten.clear();
    await this.store.recordUse(record, new Date(now).toISOString());
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
