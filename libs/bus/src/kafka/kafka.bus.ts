import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Kafka, Message, Producer, TopicMessages } from 'kafkajs';
import type { Envelope } from '@th/contracts';
import { APP_CONFIG, type AppConfig, ServiceUnavailableError, counter, histogram } from '@th/platform';
import { ENVELOPE_ROUTES, type EnvelopeRoutes } from '../envelope-routes';
import type { EventBus } from '../event-bus';
import { KAFKA, createDurableProducer } from './kafka-client';

interface PendingPublish {
  messages: { topic: string; message: Message }[];
  /** Past this the client has had its 503: the envelopes are dropped, not sent late. */
  expiresAt: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const produceBatchSize = histogram(
  'bus_produce_batch_messages',
  'Messages per Kafka produce call',
  [],
  [1, 10, 100, 1_000, 10_000, 100_000],
);
const produceSeconds = histogram(
  'bus_produce_duration_seconds',
  'Kafka produce call latency until acknowledged',
);
const publishFailures = counter('bus_publish_failures_total', 'Publishes answered 503', ['reason'] as const);

/**
 * The distributed mode's bus. An idempotent producer with acks=-1 (every in-sync replica), one
 * request in flight: publishes that arrive while a produce call is in flight are coalesced into the
 * next one, so many concurrent HTTP requests share one round trip. The envelope key picks the
 * partition. A publish resolves only once the broker acknowledged it, and rejects with a 503 when
 * that has not happened within KAFKA_PUBLISH_TIMEOUT_MS. A late acknowledgement after a 503 is
 * harmless: envelope ids are deterministic, so the client's retry collapses into the same row.
 */
@Injectable()
export class KafkaBus implements EventBus, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('kafka-bus');
  private readonly producer: Producer;
  private pending: PendingPublish[] = [];
  private flushing: Promise<void> | undefined;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ENVELOPE_ROUTES) private readonly routes: EnvelopeRoutes,
  ) {
    this.producer = createDurableProducer(kafka);
  }

  async onModuleInit(): Promise<void> {
    await this.producer.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flushing;
    await this.producer.disconnect();
  }

  publish(envelopes: readonly Envelope[]): Promise<void> {
    if (envelopes.length === 0) return Promise.resolve();
    const messages = envelopes.map((envelope) => ({
      topic: this.routes.topicOf(envelope.kind),
      message: { key: envelope.key, value: JSON.stringify(envelope) },
    }));
    const acknowledged = new Promise<void>((resolve, reject) => {
      this.pending.push({
        messages,
        expiresAt: Date.now() + this.config.KAFKA_PUBLISH_TIMEOUT_MS,
        resolve,
        reject,
      });
      this.flushing ??= this.flush();
    });
    return withDeadline(acknowledged, this.config.KAFKA_PUBLISH_TIMEOUT_MS);
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      // While the broker is away, requests pile up here; those already answered 503 are dropped,
      // so memory stays bounded by what arrived within one publish timeout.
      const now = Date.now();
      const batch = this.pending.filter((p) => p.expiresAt > now);
      this.pending = [];
      if (batch.length === 0) continue;
      const byTopic = new Map<string, Message[]>();
      for (const { messages } of batch) {
        for (const { topic, message } of messages) {
          const list = byTopic.get(topic);
          if (list) list.push(message);
          else byTopic.set(topic, [message]);
        }
      }
      const topicMessages: TopicMessages[] = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
      const stop = produceSeconds.startTimer();
      try {
        await this.producer.sendBatch({ topicMessages, acks: -1 });
        produceBatchSize.observe(topicMessages.reduce((n, t) => n + t.messages.length, 0));
        for (const p of batch) p.resolve();
      } catch (error) {
        this.logger.warn({
          msg: 'produce failed',
          err: error instanceof Error ? error.message : String(error),
        });
        for (const p of batch) p.reject(error);
      } finally {
        stop();
      }
    }
    this.flushing = undefined;
  }
}

function withDeadline(acknowledged: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      publishFailures.inc({ reason: 'timeout' });
      reject(
        new ServiceUnavailableError(`the event log did not acknowledge within ${timeoutMs} ms; retry later`),
      );
    }, timeoutMs);
  });
  return Promise.race([
    acknowledged.catch((error: unknown) => {
      publishFailures.inc({ reason: 'broker_error' });
      const detail = error instanceof Error ? error.message : String(error);
      throw new ServiceUnavailableError(`the event log is unavailable (${detail}); retry later`);
    }),
    deadline,
  ]).finally(() => clearTimeout(timer));
}
