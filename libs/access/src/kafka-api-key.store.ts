import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { CompactedTable, KAFKA } from '@th/bus';
import { compileSchema } from '@th/platform';
import { API_KEYS_TOPIC, type ApiKeyRecord, ApiKeyRecordSchema } from './api-key.schema';
import type { ApiKeyStore } from './api-key-store';

/**
 * API keys in the compacted topic `telemetry.api-keys.v1` (distributed mode), keyed by id, mirrored
 * in memory by every process that holds this store: a key issued or revoked on one replica is seen
 * by the others as soon as they read the record (well under a second on a healthy cluster).
 */
@Injectable()
export class KafkaApiKeyStore implements ApiKeyStore, OnModuleInit, OnApplicationShutdown {
  private readonly table: CompactedTable<ApiKeyRecord>;
  /**
   * Last uses seen by this replica. Not written to the topic: compaction keeps one record per key,
   * and a use written just after another replica's revoke would outlive the revoke there.
   */
  private readonly lastUses = new Map<string, string>();

  constructor(@Inject(KAFKA) kafka: Kafka) {
    this.table = new CompactedTable(kafka, {
      topic: API_KEYS_TOPIC,
      keyOf: (record) => record.id,
      validate: compileSchema(ApiKeyRecordSchema),
      // A revocation is final: a replayed older record never brings a key back.
      supersedes: (candidate, current) => current.revokedAt === null || candidate.revokedAt !== null,
    });
  }

  async onModuleInit(): Promise<void> {
    await this.table.open();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.table.close();
  }

  readonly mirroredInMemory = true;

  findByHash(keyHash: string): Promise<ApiKeyRecord | undefined> {
    return Promise.resolve(this.table.find((record) => record.keyHash === keyHash));
  }

  listByOwner(owner: string): Promise<ApiKeyRecord[]> {
    const owned = this.table.values().filter((record) => record.owner === owner);
    return Promise.resolve(owned.sort((a, b) => a.createdAt.localeCompare(b.createdAt)));
  }

  list(): Promise<ApiKeyRecord[]> {
    const records = this.table.values().map((r) => ({ ...r, lastUsedAt: this.lastUses.get(r.id) ?? null }));
    return Promise.resolve(records.sort((a, b) => a.createdAt.localeCompare(b.createdAt)));
  }

  recordUse(record: ApiKeyRecord, at: string): Promise<void> {
    this.lastUses.set(record.id, at);
    return Promise.resolve();
  }

  async save(record: ApiKeyRecord): Promise<void> {
    await this.table.put(record);
  }
}
