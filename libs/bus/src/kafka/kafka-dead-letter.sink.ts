import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Kafka, Producer } from 'kafkajs';
import { KAFKA, createDurableProducer } from './kafka-client';
import { TOPICS } from '@th/contracts';
import type { DeadLetter, DeadLetterSink } from '../consumer/dead-letter';

/**
 * The distributed mode's dead letters: `telemetry.dlq.v1`, the original bytes as the value and
 * the reason and origin as headers, acknowledged by every in-sync replica before the consumer
 * commits past the message.
 */
@Injectable()
export class KafkaDeadLetterSink implements DeadLetterSink, OnModuleInit, OnApplicationShutdown {
  private readonly producer: Producer;

  constructor(@Inject(KAFKA) kafka: Kafka) {
    this.producer = createDurableProducer(kafka);
  }

  async onModuleInit(): Promise<void> {
    await this.producer.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
  }

  async send(letters: DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    await this.producer.send({
      topic: TOPICS.deadLetters,
      acks: -1,
      messages: letters.map((letter) => ({
        key: letter.origin.key ?? letter.envelopeId,
        value: letter.original,
        headers: {
          reason: letter.reason,
          'envelope-id': letter.envelopeId,
          kind: letter.kind,
          'source-topic': letter.origin.topic,
          'source-partition': String(letter.origin.partition),
          'source-offset': letter.origin.offset,
          'failed-at': new Date().toISOString(),
        },
      })),
    });
  }
}
