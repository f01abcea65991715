import { Inject, Injectable } from '@nestjs/common';
import type { ClickHouseClient } from '@clickhouse/client';
import { CLICKHOUSE, queryRows } from '@th/store';
import type { StoredConnection } from './connection';
import type { ConnectionStore } from './connection-store';

const TABLE = 'developer_telemetry_connections';

const SELECT_COLUMNS = `id, name, endpoint, proxy, rate_limit_per_hour, secret_token_hash,
  toUnixTimestamp64Milli(created_at) AS created_at, toUnixTimestamp64Milli(updated_at) AS updated_at, deleted`;

const LIST_CONNECTIONS = `SELECT ${SELECT_COLUMNS} FROM ${TABLE} FINAL WHERE deleted = 0 ORDER BY id`;
const GET_CONNECTION = `SELECT ${SELECT_COLUMNS} FROM ${TABLE} FINAL WHERE id = {id:UInt64}`;
const HIGHEST_ID = `SELECT max(id) AS id FROM ${TABLE}`;

interface ConnectionRow {
  id: string;
  name: string;
  endpoint: string;
  proxy: string;
  rate_limit_per_hour: number;
  secret_token_hash: string;
  /** Milliseconds since the epoch (a quoted 64-bit integer). */
  created_at: string;
  updated_at: string;
  deleted: number;
}

/**
 * Connections in ClickHouse (embedded mode): every change appends a full row with a higher
 * version, deletion appends a tombstone, and reads take the latest row per id with FINAL.
 */
@Injectable()
export class ClickHouseConnectionStore implements ConnectionStore {
  private lastVersion = 0;

  constructor(@Inject(CLICKHOUSE) private readonly client: ClickHouseClient) {}

  async list(): Promise<StoredConnection[]> {
    return (await queryRows<ConnectionRow>(this.client, LIST_CONNECTIONS)).map(fromRow);
  }

  /** The live connection with this id, or undefined when it never existed or was deleted. */
  async get(id: number): Promise<StoredConnection | undefined> {
    const [row] = await queryRows<ConnectionRow>(this.client, GET_CONNECTION, { id });
    return row && row.deleted === 0 ? fromRow(row) : undefined;
  }

  /** The highest id ever used, deleted ones included, so ids are never reused. */
  async highestId(): Promise<number> {
    const [row] = await queryRows<{ id: string }>(this.client, HIGHEST_ID);
    return Number(row?.id ?? 0);
  }

  async save(connection: StoredConnection): Promise<void> {
    await this.write(connection, 0);
  }

  async markDeleted(connection: StoredConnection): Promise<void> {
    await this.write({ ...connection, updatedAt: new Date().toISOString() }, 1);
  }

  private async write(connection: StoredConnection, deleted: 0 | 1): Promise<void> {
    await this.client.insert({
      table: TABLE,
      format: 'JSONEachRow',
      values: [
        {
          id: connection.id,
          name: connection.name,
          endpoint: connection.endpoint,
          proxy: connection.proxy,
          rate_limit_per_hour: connection.rateLimitPerHour,
          secret_token_hash: connection.secretTokenHash,
          created_at: connection.createdAt,
          updated_at: connection.updatedAt,
          deleted,
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

function fromRow(row: ConnectionRow): StoredConnection {
  return {
    id: Number(row.id),
    name: row.name,
    endpoint: row.endpoint,
    proxy: row.proxy,
    rateLimitPerHour: row.rate_limit_per_hour,
    secretTokenHash: row.secret_token_hash,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    updatedAt: new Date(Number(row.updated_at)).toISOString(),
  };
}
