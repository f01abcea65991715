import { type DynamicModule, Module } from '@nestjs/common';
import { KafkaBusModule, KafkaModule } from '@th/bus';
import { type AppConfig, ConfigModule, ObservabilityModule } from '@th/platform';
import { domainModules, envelopeRoutes, topicSpecs } from '@th/registry';

/**
 * The distributed mode's front door: every domain's ingestion routes, publishing to Kafka. It needs
 * no database: what a gateway must know (the connections) comes from compacted topics.
 */
@Module({})
export class GatewayModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        ConfigModule.forRoot(config),
        ObservabilityModule,
        KafkaModule.forRoot(topicSpecs()),
        KafkaBusModule.forRoot(envelopeRoutes()),
        ...domainModules(['gateway'], { mode: 'distributed' }),
      ],
    };
  }
}
