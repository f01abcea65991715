import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import { KAFKA, createDurableProducer } from '@th/bus';
import { TOPICS } from '@th/contracts';
import type { StoredConnection } from './connection';
import type { ConnectionStore } from './connection-store';

interface ConnectionRecord extends StoredConnection {
  deleted: boolean;
}

const CATCH_UP_TIMEOUT_MS = 60_000;

/**
 * Connections in the compacted topic `telemetry.connections.v1` (distributed mode), one record per
 * change keyed by id, the latest winning. Every process holding this store reads the topic from
 * the beginning into memory before it serves, and follows it afterwards, so report authentication
 * never waits on a database. Writes are acknowledged by every in-sync replica before they return.
 * Ids come from the highest id seen; send connection changes to one gateway replica at a time.
 */
@Injectable()
export class KafkaConnectionStore implements ConnectionStore, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('connections');
  private readonly records = new Map<number, ConnectionRecord>();
  private readonly producer: Producer;
  private readonly consumer: Consumer;

  constructor(@Inject(KAFKA) private readonly kafka: Kafka) {
    this.producer = createDurableProducer(kafka);
    // A private group: every process reads the whole topic; nothing is committed.
    this.consumer = kafka.consumer({
      groupId: `telemetry-hub-connections-${randomUUID()}`,
      maxWaitTimeInMs: 100,
    });
  }

  async onModuleInit(): Promise<void> {
    await this.producer.connect();
    const endOffsets = await this.endOffsets();
    const caughtUp = this.waitUntilConsumed(endOffsets);
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: TOPICS.connections, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachMessage: ({ message, partition }) => {
        if (message.value) this.apply(JSON.parse(message.value.toString('utf8')) as ConnectionRecord);
        this.consumed.set(partition, BigInt(message.offset) + 1n);
        this.onConsumed?.();
        return Promise.resolve();
      },
    });
    await caughtUp;
    this.logger.log({ msg: 'connections loaded', count: this.records.size });
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.consumer.disconnect(), this.producer.disconnect()]);
  }

  list(): Promise<StoredConnection[]> {
    const live = [...this.records.values()].filter((r) => !r.deleted).sort((a, b) => a.id - b.id);
    return Promise.resolve(live.map(withoutFlag));
  }

  get(id: number): Promise<StoredConnection | undefined> {
    const record = this.records.get(id);
    return Promise.resolve(record && !record.deleted ? withoutFlag(record) : undefined);
  }

  highestId(): Promise<number> {
    return Promise.resolve(Math.max(0, ...this.records.keys()));
  }

  async save(connection: StoredConnection): Promise<void> {
    await this.write({ ...connection, deleted: false });
  }

  async markDeleted(connection: StoredConnection): Promise<void> {
    await this.write({ ...connection, updatedAt: new Date().toISOString(), deleted: true });
  }

  private async write(record: ConnectionRecord): Promise<void> {
    await this.producer.send({
      topic: TOPICS.connections,
      acks: -1,
      messages: [{ key: String(record.id), value: JSON.stringify(record) }],
    });
    this.apply(record);
  }

  private apply(record: ConnectionRecord): void {
    const current = this.records.get(record.id);
    if (!current || current.updatedAt <= record.updatedAt) this.records.set(record.id, record);
  }

  private readonly consumed = new Map<number, bigint>();
  private onConsumed: (() => void) | undefined;

  private async endOffsets(): Promise<Map<number, bigint>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(TOPICS.connections);
      return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
    } finally {
      await admin.disconnect();
    }
  }

  /** Resolves once every partition has been read up to the end it had at start-up. */
  private waitUntilConsumed(endOffsets: Map<number, bigint>): Promise<void> {
    const done = () => [...endOffsets].every(([p, end]) => end === 0n || (this.consumed.get(p) ?? 0n) >= end);
    return new Promise((resolve, reject) => {
      if (done()) return resolve();
      const timer = setTimeout(
        () => reject(new Error(`connections topic not read to its end within ${CATCH_UP_TIMEOUT_MS} ms`)),
        CATCH_UP_TIMEOUT_MS,
      );
      this.onConsumed = () => {
        if (!done()) return;
        clearTimeout(timer);
        this.onConsumed = undefined;
        resolve();
      };
    });
  }
}

function withoutFlag({
  id,
  name,
  endpoint,
  proxy,
  rateLimitPerHour,
  secretTokenHash,
  createdAt,
  updatedAt,
}: ConnectionRecord): StoredConnection {
  return { id, name, endpoint, proxy, rateLimitPerHour, secretTokenHash, createdAt, updatedAt };
}
