import { type DynamicModule, Module } from '@nestjs/common';
import { KafkaModule } from '@th/bus';
import { type AppConfig, ConfigModule, GraphQLApiModule, ObservabilityModule } from '@th/platform';
import { domainModules, migrationSources, topicSpecs } from '@th/registry';
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
        GraphQLApiModule.forRoot(),
        ...domainModules(['api'], { mode: 'distributed' }),
      ],
    };
  }
}
