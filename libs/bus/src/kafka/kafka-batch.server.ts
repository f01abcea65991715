import { Logger } from '@nestjs/common';
import { type CustomTransportStrategy, Server } from '@nestjs/microservices';
import { type Consumer, type EachBatchPayload, type Kafka } from 'kafkajs';
import { isObservable, lastValueFrom } from 'rxjs';
import { type AppConfig, gauge, histogram, counter } from '@th/platform';

const batchMessages = histogram(
  'projector_batch_messages',
  'Messages per consumed batch',
  ['topic'] as const,
  [1, 10, 100, 1_000, 10_000, 100_000],
);
const batchSeconds = histogram('projector_batch_duration_seconds', 'Time to store and commit one batch', [
  'topic',
] as const);
const consumerLag = gauge('projector_consumer_lag', 'Messages behind the high watermark', [
  'topic',
  'partition',
] as const);
const retries = counter('projector_batch_retries_total', 'Batches retried after a transient failure', [
  'topic',
] as const);

/**
 * A `@nestjs/microservices` transport for Kafka that hands whole batches to the handlers
 * (`@EventPattern(topic)`), which the built-in Kafka transport cannot. Per batch: the handler
 * stores it; only then is the offset committed. A failing handler is retried with exponential
 * backoff (heartbeating meanwhile), never skipped; on shutdown or rebalance the batch in hand is
 * abandoned uncommitted and redelivered, and the deduplication token makes that harmless.
 */
export class KafkaBatchServer extends Server implements CustomTransportStrategy {
  protected override readonly logger = new Logger('kafka-consumer');
  private consumer: Consumer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly config: Pick<
      AppConfig,
      'KAFKA_CONSUMER_GROUP' | 'PROJECTOR_MAX_BATCH_BYTES' | 'PROJECTOR_RETRY_MAX_MS'
    >,
  ) {
    super();
  }

  async listen(callback: () => void): Promise<void> {
    try {
      const topics = [...this.messageHandlers.keys()];
      const consumer = this.kafka.consumer({
        groupId: this.config.KAFKA_CONSUMER_GROUP,
        maxBytesPerPartition: this.config.PROJECTOR_MAX_BATCH_BYTES,
        maxBytes: this.config.PROJECTOR_MAX_BATCH_BYTES * 4,
        maxWaitTimeInMs: 50,
        sessionTimeout: 30_000,
        heartbeatInterval: 3_000,
        allowAutoTopicCreation: false,
      });
      this.consumer = consumer;
      await consumer.connect();
      await consumer.subscribe({ topics, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 3,
        eachBatch: (payload) => this.consume(payload),
      });
      this.logger.log({ msg: 'consuming', topics, group: this.config.KAFKA_CONSUMER_GROUP });
      callback();
    } catch (error) {
      callback();
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.consumer?.disconnect();
  }

  on(): never {
    throw new Error('KafkaBatchServer does not emit events');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  private async consume({
    batch,
    heartbeat,
    isRunning,
    isStale,
    resolveOffset,
  }: EachBatchPayload): Promise<void> {
    const { topic, partition, messages } = batch;
    if (messages.length === 0) return;
    const handler = this.getHandlerByPattern(topic);
    if (!handler) throw new Error(`no handler for topic ${topic}`);
    const first = messages[0].offset;
    const last = messages[messages.length - 1].offset;
    const data = {
      topic,
      partition,
      deduplicationToken: `${topic}/${partition}/${first}-${last}`,
      messages: messages.map((m) => ({
        key: m.key?.toString('utf8') ?? null,
        value: m.value,
        offset: m.offset,
      })),
    };
    const stop = batchSeconds.startTimer({ topic });
    for (let attempt = 0; ; attempt++) {
      if (!isRunning() || isStale()) return;
      try {
        const result: unknown = await handler(data);
        if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
        break;
      } catch (error) {
        retries.inc({ topic });
        const delay = Math.min(this.config.PROJECTOR_RETRY_MAX_MS, 100 * 2 ** Math.min(attempt, 16));
        this.logger.warn({
          msg: 'batch failed; retrying',
          topic,
          partition,
          offsets: `${first}-${last}`,
          attempt: attempt + 1,
          retryInMs: delay,
          err: error instanceof Error ? error.message : String(error),
        });
        await sleepWithHeartbeat(delay, heartbeat, isRunning);
      }
    }
    resolveOffset(last);
    await this.consumer?.commitOffsets([{ topic, partition, offset: (BigInt(last) + 1n).toString() }]);
    stop();
    batchMessages.observe({ topic }, messages.length);
    consumerLag.set({ topic, partition: String(partition) }, Number(batch.offsetLag()));
    await heartbeat();
  }
}

async function sleepWithHeartbeat(
  ms: number,
  heartbeat: () => Promise<void>,
  isRunning: () => boolean,
): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until && isRunning()) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, until - Date.now())));
    await heartbeat().catch(() => undefined);
  }
}
