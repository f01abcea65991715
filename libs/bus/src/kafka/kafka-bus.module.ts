import {
  type DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { Admin, Kafka } from 'kafkajs';
import type { EnvelopeRoute, TopicSpec } from '@th/contracts';
import { APP_CONFIG, type AppConfig, ReadinessRegistry } from '@th/platform';
import { ENVELOPE_ROUTES, envelopeRoutesProvider } from '../envelope-routes';
import { EVENT_BUS } from '../event-bus';
import { KafkaBatchConsumer } from './kafka-batch.consumer';
import { KAFKA, createKafka } from './kafka-client';
import { ensureTopics } from './kafka-topics';
import { KafkaBus } from './kafka.bus';

/** Reports the broker's reachability on /ready, over one admin connection closed on shutdown. */
@Injectable()
class KafkaReadiness implements OnModuleInit, OnApplicationShutdown {
  private admin: Admin | undefined;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    const admin = this.kafka.admin();
    this.admin = admin;
    this.readiness.register({
      name: 'kafka',
      check: async () => {
        await admin.connect();
        await admin.describeCluster();
      },
    });
  }

  /** Its socket would keep the process alive after every other client closed. */
  async onApplicationShutdown(): Promise<void> {
    await this.admin?.disconnect();
  }
}

/** The Kafka client, with `topics` created first, for every distributed role. */
@Global()
@Module({})
export class KafkaModule {
  static forRoot(topics: readonly TopicSpec[]): DynamicModule {
    return {
      module: KafkaModule,
      providers: [
        {
          // Async: nothing that injects KAFKA is built before the topics exist.
          provide: KAFKA,
          inject: [APP_CONFIG],
          useFactory: async (config: AppConfig) => {
            const kafka = createKafka(config, 'app');
            await ensureTopics(kafka, config, topics);
            return kafka;
          },
        },
        KafkaReadiness,
      ],
      exports: [KAFKA],
    };
  }
}

/** Distributed mode's publishing side: publishing means an acknowledged write to Kafka. */
@Global()
@Module({})
export class KafkaBusModule {
  static forRoot(routes: readonly EnvelopeRoute[]): DynamicModule {
    return {
      module: KafkaBusModule,
      providers: [envelopeRoutesProvider(routes), KafkaBus, { provide: EVENT_BUS, useExisting: KafkaBus }],
      exports: [EVENT_BUS, ENVELOPE_ROUTES],
    };
  }
}

/**
 * Distributed mode's consuming side: every topic the routes name, through the one consumer path,
 * dead letters to `telemetry.dlq.v1`. The batch handler comes from the projection module.
 */
@Module({})
export class KafkaConsumerModule {
  static forRoot(routes: readonly EnvelopeRoute[]): DynamicModule {
    return {
      module: KafkaConsumerModule,
      providers: [envelopeRoutesProvider(routes), KafkaBatchConsumer],
    };
  }
}
