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
  // A topic another role has just created, before its leader is elected (asked again, see CompactedTable).
  'This server is not the leader for that topic-partition',
];

/** A warm-up answer, as a request's error or inside a consumer's crash message. */
function isWarmUpAnswer(message: string, error: unknown): boolean {
  const text = typeof error === 'string' ? error : message;
  return WARM_UP_ANSWERS.some((answer) => text.startsWith(answer) || message.includes(`Error: ${answer}`));
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
    isWarmUpAnswer(message, error) ||
    isTopicCreationRace(message, error) ||
    DELIBERATE.some((notice) => message.startsWith(notice))
  );
}

/**
 * How loud a kafkajs log line is in the app's log: expected answers (warm-up, the topic-creation
 * race, deliberate settings) are information, the rest keeps its level. One per client: a consumer
 * that crashed on a warm-up answer is restarted, and that restart is expected too.
 */
export function kafkaLogTriage(): (
  level: logLevel,
  message: string,
  error: unknown,
) => 'info' | 'warn' | 'error' {
  let warmingUp = false;
  return (level, message, error) => {
    const restart = message.startsWith('Restarting the consumer');
    const expected = isExpected(message, error) || (restart && warmingUp);
    if (message.startsWith('Crash:')) warmingUp = isWarmUpAnswer(message, error);
    if (expected) return 'info';
    return level <= logLevel.ERROR ? 'error' : 'warn';
  };
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
    logCreator: () => {
      const severityOf = kafkaLogTriage();
      return ({ level, log }: LogEntry) => {
        const { message, ...extra } = log;
        const entry = { msg: `kafkajs: ${String(message)}`, ...extra };
        const severity = severityOf(level, String(message), extra.error);
        if (severity === 'info') logger.log(entry);
        else if (severity === 'error') logger.error(entry);
        else logger.warn(entry);
      };
    },
  });
}
