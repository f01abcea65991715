import { Logger } from '@nestjs/common';
import { Kafka, type LogEntry, Partitioners, type Producer, logLevel } from 'kafkajs';
import type { AppConfig } from '@th/platform';

export const KAFKA = Symbol('KAFKA');

/**
 * A producer that cannot lose or duplicate what it was told was written: idempotent, one request
 * in flight (which idempotence needs to keep order), no topic auto-creation. Send with acks -1.
 */
export function createDurableProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    // kafkajs 2's default, named so it does not warn about having changed it.
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}

export type KafkaConfig = Pick<AppConfig, 'KAFKA_BROKERS' | 'KAFKA_CLIENT_ID'>;

/**
 * What a healthy broker answers while it loads its coordinators or elects partition leaders, at
 * start-up above all. kafkajs retries these by itself, so they are logged as information; a broker
 * that stays away still ends in errors (connection refused, retries exhausted).
 */
const WARM_UP_ANSWERS = [
  'The coordinator is loading',
  'The group coordinator is not available',
  'This is not the correct coordinator',
  'There is no leader for this topic-partition',
  'This server does not host this topic-partition',
];

function isWarmUpAnswer(error: unknown): boolean {
  return typeof error === 'string' && WARM_UP_ANSWERS.some((answer) => error.startsWith(answer));
}

/**
 * Warnings about choices made on purpose. Retries are bounded so that a request waits a bounded
 * time and gets a 503 instead of hanging; a send retried after that is deduplicated downstream
 * (event ids, envelope ids and ReplacingMergeTree), so nothing is counted twice.
 */
const DELIBERATE = ['Limiting retries for the idempotent producer'];

/**
 * Two roles starting together both create the missing topics; the second is told they exist.
 * kafkajs logs that answer before it resolves the creation as done; a real failure rejects the
 * creation, and the app's start fails with its own error.
 */
function isTopicCreationRace(message: string, error: unknown): boolean {
  return message.startsWith('Response CreateTopics') && error === 'Topic creation errors';
}

function isExpected(message: string, error: unknown): boolean {
  return (
    isWarmUpAnswer(error) ||
    isTopicCreationRace(message, error) ||
    DELIBERATE.some((notice) => message.startsWith(notice))
  );
}

/** The kafkajs client, logging through the app's structured logger. */
export function createKafka(config: KafkaConfig, role: string): Kafka {
  if (config.KAFKA_BROKERS.length === 0) {
    throw new Error(
      'KAFKA_BROKERS is not set: the distributed mode needs a Kafka broker (npm run kafka:up starts one)',
    );
  }
  const logger = new Logger('kafka');
  return new Kafka({
    clientId: `${config.KAFKA_CLIENT_ID}-${role}`,
    brokers: config.KAFKA_BROKERS,
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 100, retries: 8, maxRetryTime: 5_000 },
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, ...extra } = log;
        const entry = { msg: `kafkajs: ${message}`, ...extra };
        if (isExpected(String(message), extra.error)) logger.log(entry);
        else if (level <= logLevel.ERROR) logger.error(entry);
        else logger.warn(entry);
      },
  });
}
