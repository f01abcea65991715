import { Logger } from '@nestjs/common';
import { Kafka, type LogEntry, type Producer, logLevel } from 'kafkajs';
import type { AppConfig } from '@th/platform';

export const KAFKA = Symbol('KAFKA');

/**
 * A producer that cannot lose or duplicate what it was told was written: idempotent, one request
 * in flight (which idempotence needs to keep order), no topic auto-creation. Send with acks -1.
 */
export function createDurableProducer(kafka: Kafka): Producer {
  return kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
}

export type KafkaConfig = Pick<AppConfig, 'KAFKA_BROKERS' | 'KAFKA_CLIENT_ID'>;

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
        if (level <= logLevel.ERROR) logger.error(entry);
        else logger.warn(entry);
      },
  });
}
