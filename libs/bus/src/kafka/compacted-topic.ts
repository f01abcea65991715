import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import type { TopicSpec } from '@th/contracts';
import { type Validator, counter } from '@th/platform';
import { createDurableProducer } from './kafka-client';

const CATCH_UP_TIMEOUT_MS = 60_000;

const invalidRecords = counter(
  'compacted_topic_invalid_records_total',
  'Records of a state topic that failed validation and were skipped',
  ['topic'] as const,
);

/** A single-partition compacted topic: the latest record per key is the state. */
export function compactedTopic(name: string): TopicSpec {
  return { name, partitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] };
}

export interface CompactedTableOptions<V> {
  topic: string;
  /** The record's key (the topic's message key). */
  keyOf(value: V): string;
  /** Validates a record read back (validated on consume, like every message). */
  validate: Validator<V>;
  /** True when `candidate` should replace `current` (records may arrive out of order on replay). */
  supersedes(candidate: V, current: V): boolean;
}

/**
 * A table kept in a compacted Kafka topic and mirrored in this process's memory: `open` reads the
 * topic from the beginning before the app serves, then follows it, so reads never wait on a
 * database. `put` is acknowledged by every in-sync replica before it returns. A record that fails
 * validation is skipped with an error log and a metric: state records cannot be dead-lettered, and
 * one bad record must not stop every replica from starting.
 */
export class CompactedTable<V> {
  private readonly logger = new Logger('compacted-topic');
  private readonly rows = new Map<string, V>();
  private readonly producer: Producer;
  private readonly consumer: Consumer;
  private readonly consumed = new Map<number, bigint>();
  private onConsumed: (() => void) | undefined;
  private closed = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: CompactedTableOptions<V>,
  ) {
    this.producer = createDurableProducer(kafka);
    // A private group: every process reads the whole topic; nothing is committed.
    this.consumer = kafka.consumer({
      groupId: `telemetry-hub-state-${randomUUID()}`,
      maxWaitTimeInMs: 100,
      // kafkajs restarts a crashed consumer by itself; once closed it must stay closed, or it would
      // keep restarting against a broker that is gone (and keep its process alive).
      retry: { restartOnFailure: () => Promise.resolve(!this.closed) },
    });
  }

  /** Resolves once the topic is read to the end it had when this was called. */
  async open(): Promise<void> {
    await this.producer.connect();
    const caughtUp = this.waitUntilConsumed(await this.endOffsets());
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachMessage: ({ message, partition }) => {
        if (message.value) this.read(message.value, message.offset);
        this.consumed.set(partition, BigInt(message.offset) + 1n);
        this.onConsumed?.();
        return Promise.resolve();
      },
    });
    await caughtUp;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([this.consumer.disconnect(), this.producer.disconnect()]);
  }

  values(): V[] {
    return [...this.rows.values()];
  }

  get(key: string): V | undefined {
    return this.rows.get(key);
  }

  /** The first row that matches, without copying the table. */
  find(predicate: (value: V) => boolean): V | undefined {
    for (const value of this.rows.values()) if (predicate(value)) return value;
    return undefined;
  }

  async put(value: V): Promise<void> {
    await this.producer.send({
      topic: this.options.topic,
      acks: -1,
      messages: [{ key: this.options.keyOf(value), value: JSON.stringify(value) }],
    });
    this.apply(value);
  }

  private read(bytes: Buffer, offset: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch {
      parsed = undefined;
    }
    const checked = this.options.validate(parsed);
    if (checked.ok) {
      this.apply(checked.value);
      return;
    }
    invalidRecords.inc({ topic: this.options.topic });
    this.logger.error({
      msg: 'invalid state record skipped',
      topic: this.options.topic,
      offset,
      errors: checked.errors.map((e) => `${e.field} ${e.message}`),
    });
  }

  private apply(value: V): void {
    const key = this.options.keyOf(value);
    const current = this.rows.get(key);
    if (current === undefined || this.options.supersedes(value, current)) this.rows.set(key, value);
  }

  /**
   * The topic's end offsets. A topic another role has only just created may have no partition
   * leader yet, and the broker says so with a retriable error: asked again, with back-off, until
   * the catch-up deadline.
   */
  private async endOffsets(): Promise<Map<number, bigint>> {
    const deadline = Date.now() + CATCH_UP_TIMEOUT_MS;
    for (let waitMs = 100; ; waitMs = Math.min(waitMs * 2, 2_000)) {
      try {
        return await this.fetchEndOffsets();
      } catch (error) {
        const retriable = (error as { retriable?: unknown } | undefined)?.retriable === true;
        if (!retriable || Date.now() + waitMs > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, waitMs));
      }
    }
  }

  private async fetchEndOffsets(): Promise<Map<number, bigint>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(this.options.topic);
      return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
    } finally {
      await admin.disconnect();
    }
  }

  private waitUntilConsumed(endOffsets: Map<number, bigint>): Promise<void> {
    const done = () => [...endOffsets].every(([p, end]) => end === 0n || (this.consumed.get(p) ?? 0n) >= end);
    return new Promise((resolve, reject) => {
      if (done()) return resolve();
      const timer = setTimeout(
        () => reject(new Error(`${this.options.topic} not read to its end within ${CATCH_UP_TIMEOUT_MS} ms`)),
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
