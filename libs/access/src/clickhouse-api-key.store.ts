import { Inject, Injectable } from '@nestjs/common';
import type { ClickHouseClient } from '@clickhouse/client';
import { CLICKHOUSE, queryRows } from '@th/store';
import type { ApiKeyRecord } from './api-key.schema';
import type { ApiKeyStore } from './api-key-store';

const COLUMNS = `id, name, key_hash, scopes, allowed_path, owner,
  toUnixTimestamp64Milli(created_at) AS created_at, toUnixTimestamp64Milli(revoked_at) AS revoked_at`;
const BY_HASH = `SELECT ${COLUMNS} FROM api_keys FINAL WHERE key_hash = {hash:String} LIMIT 1`;
const BY_OWNER = `SELECT ${COLUMNS} FROM api_keys FINAL WHERE owner = {owner:String} ORDER BY created_at, id`;

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
}

/** API keys in ClickHouse (embedded mode): every change appends the whole row with a higher version. */
@Injectable()
export class ClickHouseApiKeyStore implements ApiKeyStore {
  private lastVersion = 0;

  constructor(@Inject(CLICKHOUSE) private readonly client: ClickHouseClient) {}

  async findByHash(keyHash: string): Promise<ApiKeyRecord | undefined> {
    const [row] = await queryRows<ApiKeyRow>(this.client, BY_HASH, { hash: keyHash });
    return row && fromRow(row);
  }

  async listByOwner(owner: string): Promise<ApiKeyRecord[]> {
    return (await queryRows<ApiKeyRow>(this.client, BY_OWNER, { owner })).map(fromRow);
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
  };
}
