import { Global, Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { APP_CONFIG, type AppConfig, ReadinessRegistry } from '@th/platform';
import { EVENT_BUS } from '../event-bus';
import { KAFKA, createKafka } from './kafka-client';
import { ensureTopics } from './kafka-topics';
import { KafkaBus } from './kafka.bus';

/** Reports the broker's reachability on /ready. */
@Injectable()
class KafkaReadiness implements OnModuleInit {
  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    const admin = this.kafka.admin();
    this.readiness.register({
      name: 'kafka',
      check: async () => {
        await admin.connect();
        await admin.describeCluster();
      },
    });
  }
}

/** Kafka client, with the topics created first, for every distributed role. */
@Global()
@Module({
  providers: [
    {
      // Async: nothing that injects KAFKA is built before the topics exist.
      provide: KAFKA,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) => {
        const kafka = createKafka(config, 'app');
        await ensureTopics(kafka, config);
        return kafka;
      },
    },
    KafkaReadiness,
  ],
  exports: [KAFKA],
})
export class KafkaModule {}

/** Distributed mode: publishing means an acknowledged write to Kafka. */
@Global()
@Module({
  imports: [KafkaModule],
  providers: [KafkaBus, { provide: EVENT_BUS, useExisting: KafkaBus }],
  exports: [EVENT_BUS],
})
export class KafkaBusModule {}
