import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { APP_CONFIG, type AppConfig, gauge, histogram } from '@th/platform';
import { BATCH_HANDLER, type BatchHandler } from '../consumer/batch-handler';
import { consumeBatch } from '../consumer/consume-batch';
import { DEAD_LETTER_SINK, type DeadLetterSink } from '../consumer/dead-letter';
import { ENVELOPE_ROUTES, type EnvelopeRoutes } from '../envelope-routes';
import { KAFKA } from './kafka-client';

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

/**
 * The projector's Kafka consumer. It subscribes to every topic a domain's envelopes travel on
 * (from the registry, so no topic can be forgotten) and hands each batch, whole, to the one
 * consumer path. Only when every message of the batch is stored or dead-lettered is the offset
 * committed; on shutdown or rebalance the batch in hand is abandoned uncommitted and redelivered,
 * and its deduplication token makes that harmless.
 */
@Injectable()
export class KafkaBatchConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('kafka-consumer');
  private consumer: Consumer | undefined;
  private stopping = false;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(APP_CONFIG)
    private readonly config: Pick<
      AppConfig,
      'KAFKA_CONSUMER_GROUP' | 'PROJECTOR_MAX_BATCH_BYTES' | 'PROJECTOR_RETRY_MAX_MS'
    >,
    @Inject(ENVELOPE_ROUTES) private readonly routes: EnvelopeRoutes,
    @Inject(BATCH_HANDLER) private readonly handler: BatchHandler,
    @Inject(DEAD_LETTER_SINK) private readonly deadLetters: DeadLetterSink,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const topics = this.routes.consumedTopics();
    const consumer = this.kafka.consumer({
      groupId: this.config.KAFKA_CONSUMER_GROUP,
      maxBytesPerPartition: this.config.PROJECTOR_MAX_BATCH_BYTES,
      maxBytes: this.config.PROJECTOR_MAX_BATCH_BYTES * 4,
      maxWaitTimeInMs: 50,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      allowAutoTopicCreation: false,
      // Restarted by kafkajs after a crash while the app runs; never after it began to stop.
      retry: { restartOnFailure: () => Promise.resolve(!this.stopping) },
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
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.consumer?.disconnect();
  }

  /** One fetched batch of one partition: store it through the consumer path, then commit past it. */
  async consume({ batch, heartbeat, isRunning, isStale, resolveOffset }: EachBatchPayload): Promise<void> {
    const { topic, partition, messages } = batch;
    if (messages.length === 0) return;
    const first = messages[0].offset;
    const last = messages[messages.length - 1].offset;
    const stop = batchSeconds.startTimer({ topic });
    const result = await consumeBatch(
      {
        topic,
        partition,
        deduplicationToken: `${topic}/${partition}/${first}-${last}`,
        messages: messages.map((m) => ({
          key: m.key?.toString('utf8') ?? null,
          value: m.value,
          offset: m.offset,
        })),
      },
      this.handler,
      this.deadLetters,
      {
        isRunning: () => isRunning() && !isStale(),
        heartbeat,
        retryMaxMs: this.config.PROJECTOR_RETRY_MAX_MS,
      },
    );
    if (result.status === 'abandoned') return;
    resolveOffset(last);
    await this.consumer?.commitOffsets([{ topic, partition, offset: (BigInt(last) + 1n).toString() }]);
    stop();
    batchMessages.observe({ topic }, messages.length);
    consumerLag.set({ topic, partition: String(partition) }, Number(batch.offsetLag()));
    await heartbeat();
  }
}
