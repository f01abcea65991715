import { type DynamicModule, Module } from '@nestjs/common';
import { AppEventsApiModule } from '@th/app-events';
import { KafkaModule } from '@th/bus';
import { ConnectionsModule, DeveloperReportsApiModule } from '@th/developer-reports';
import { type AppConfig, ConfigModule, GraphQLApiModule, ObservabilityModule } from '@th/platform';
import { StoreModule } from '@th/store';

/**
 * The read side: GraphQL over ClickHouse (CLICKHOUSE_URL, or chDB under DATA_DIR). Connections are
 * managed through the same compacted topic the gateways read.
 */
@Module({})
export class ApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(config),
        ObservabilityModule,
        StoreModule,
        KafkaModule,
        GraphQLApiModule.forRoot(),
        ConnectionsModule.forRoot('kafka'),
        DeveloperReportsApiModule,
        AppEventsApiModule,
      ],
    };
  }
}
