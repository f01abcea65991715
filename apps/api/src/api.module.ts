import { type DynamicModule, Module } from '@nestjs/common';
import { KafkaBusModule, KafkaModule } from '@th/bus';
import {
  type AppConfig,
  ConfigModule,
  DashboardSiteModule,
  GraphQLApiModule,
  ObservabilityModule,
} from '@th/platform';
import { domainModules, envelopeRoutes, migrationSources, topicSpecs } from '@th/registry';
import { StoreModule } from '@th/store';

/**
 * The read side: every domain's GraphQL and REST reads over ClickHouse (CLICKHOUSE_URL, or chDB
 * under DATA_DIR). Domain state kept in compacted topics (the connections) is read from Kafka.
 */
@Module({})
export class ApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(config),
        ObservabilityModule,
        StoreModule.forRoot(migrationSources()),
        KafkaModule.forRoot(topicSpecs()),
        // Actions that learn from outside services (code-scanning polls) publish what they learn.
        KafkaBusModule.forRoot(envelopeRoutes()),
        GraphQLApiModule.forRoot(),
        DashboardSiteModule,
        ...domainModules(['api'], { mode: 'distributed' }),
      ],
    };
  }
}
