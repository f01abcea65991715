import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { CompactedTable, KAFKA } from '@th/bus';
import { compileSchema } from '@th/platform';
import {
  CONNECTIONS_TOPIC,
  type ConnectionRecord,
  ConnectionRecordSchema,
} from '../contract/connection.schema';
import type { StoredConnection } from './connection';
import type { ConnectionStore } from './connection-store';

/**
 * Connections in the compacted topic `telemetry.connections.v1` (distributed mode), one record per
 * change keyed by id, the latest winning. Every process holding this store reads the topic into
 * memory before it serves and follows it afterwards, so report authentication never waits on a
 * database. Ids come from the highest id seen; send connection changes to one gateway replica at
 * a time.
 */
@Injectable()
export class KafkaConnectionStore implements ConnectionStore, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('connections');
  private readonly table: CompactedTable<ConnectionRecord>;

  constructor(@Inject(KAFKA) kafka: Kafka) {
    this.table = new CompactedTable(kafka, {
      topic: CONNECTIONS_TOPIC,
      keyOf: (record) => String(record.id),
      validate: compileSchema(ConnectionRecordSchema),
      supersedes: (candidate, current) => current.updatedAt <= candidate.updatedAt,
    });
  }

  async onModuleInit(): Promise<void> {
    await this.table.open();
    this.logger.log({ msg: 'connections loaded', count: this.table.values().length });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.table.close();
  }

  list(): Promise<StoredConnection[]> {
    const live = this.table
      .values()
      .filter((r) => !r.deleted)
      .sort((a, b) => a.id - b.id);
    return Promise.resolve(live.map(withoutFlag));
  }

  get(id: number): Promise<StoredConnection | undefined> {
    const record = this.table.get(String(id));
    return Promise.resolve(record && !record.deleted ? withoutFlag(record) : undefined);
  }

  highestId(): Promise<number> {
    return Promise.resolve(Math.max(0, ...this.table.values().map((r) => r.id)));
  }

  async save(connection: StoredConnection): Promise<void> {
    await this.table.put({ ...connection, deleted: false });
  }

  async markDeleted(connection: StoredConnection): Promise<void> {
    await this.table.put({ ...connection, updatedAt: new Date().toISOString(), deleted: true });
  }
}

function withoutFlag({ deleted: _deleted, ...connection }: ConnectionRecord): StoredConnection {
  return connection;
}
