import { Inject, Injectable } from '@nestjs/common';
import type { ClickHouseClient } from '@clickhouse/client';
import { CLICKHOUSE, queryRows } from '@th/store';
import type { ApiKeyRecord } from './api-key.schema';
import type { ApiKeyStore } from './api-key-store';

/**
 * Each key's latest row, except that a revocation is final: the earliest `revoked_at` of any of its
 * rows wins (a last-use update written after a revoke carries none), and the latest use is kept.
 */
const LATEST = `SELECT id, argMax(name, version) AS name, argMax(key_hash, version) AS key_hash,
    argMax(scopes, version) AS scopes, argMax(allowed_path, version) AS allowed_path, argMax(owner, version) AS owner,
    toUnixTimestamp64Milli(min(created_at)) AS created_at, toUnixTimestamp64Milli(minOrNull(revoked_at)) AS revoked_at,
    toUnixTimestamp64Milli(maxOrNull(last_used_at)) AS last_used_at
  FROM api_keys GROUP BY id`;
// Filtered outside the grouping: its aliases share the columns' names.
const BY_HASH = `SELECT * FROM (${LATEST}) WHERE key_hash = {hash:String} LIMIT 1`;
const BY_OWNER = `SELECT * FROM (${LATEST}) WHERE owner = {owner:String} ORDER BY created_at, id`;
const ALL = `SELECT * FROM (${LATEST}) ORDER BY created_at, id`;

interface ApiKeyRow {
  id: string;
  name: string;
  key_hash: string;
  scopes: string[];
  allowed_path: string;
  owner: string;
  /** Milliseconds since the epoch (quoted 64-bit integers). */
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

/** API keys in ClickHouse (embedded mode): every change appends the whole row with a higher version. */
@Injectable()
export class ClickHouseApiKeyStore implements ApiKeyStore {
  /** Every lookup is a query: the service caches in front of it. */
  readonly mirroredInMemory = false;
  private lastVersion = 0;

  constructor(@Inject(CLICKHOUSE) private readonly client: ClickHouseClient) {}

  async findByHash(keyHash: string): Promise<ApiKeyRecord | undefined> {
    const [row] = await queryRows<ApiKeyRow>(this.client, BY_HASH, { hash: keyHash });
    return row && fromRow(row);
  }

  async listByOwner(owner: string): Promise<ApiKeyRecord[]> {
    return (await queryRows<ApiKeyRow>(this.client, BY_OWNER, { owner })).map(fromRow);
  }

  async list(): Promise<ApiKeyRecord[]> {
    return (await queryRows<ApiKeyRow>(this.client, ALL)).map(fromRow);
  }

  /** A row like the key's with the use time: the read rule keeps any revocation and the latest use. */
  recordUse(record: ApiKeyRecord, at: string): Promise<void> {
    return this.save({ ...record, revokedAt: null, lastUsedAt: at });
  }

  async save(record: ApiKeyRecord): Promise<void> {
    await this.client.insert({
      table: 'api_keys',
      format: 'JSONEachRow',
      values: [
        {
          id: record.id,
          name: record.name,
          key_hash: record.keyHash,
          scopes: record.scopes,
          allowed_path: record.allowedPath,
          owner: record.owner,
          created_at: record.createdAt,
          revoked_at: record.revokedAt,
          last_used_at: record.lastUsedAt ?? null,
          version: this.nextVersion(),
        },
      ],
    });
  }

  /** Microseconds since the epoch, strictly increasing within this process. */
  private nextVersion(): number {
    this.lastVersion = Math.max(Date.now() * 1000, this.lastVersion + 1);
    return this.lastVersion;
  }
}

function fromRow(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    keyHash: row.key_hash,
    scopes: row.scopes,
    allowedPath: row.allowed_path,
    owner: row.owner,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    revokedAt: row.revoked_at === null ? null : new Date(Number(row.revoked_at)).toISOString(),
    lastUsedAt: row.last_used_at === null ? null : new Date(Number(row.last_used_at)).toISOString(),
  };
}
