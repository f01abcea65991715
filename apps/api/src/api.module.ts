import { type DynamicModule, Module } from '@nestjs/common';
import { DeveloperReportsApiModule } from '@th/developer-reports';
import { type AppConfig, ConfigModule, GraphQLApiModule, ObservabilityModule } from '@th/platform';
import { StoreModule } from '@th/store';

/** The read side: GraphQL over ClickHouse (CLICKHOUSE_URL, or chDB under DATA_DIR). */
@Module({})
export class ApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(config),
        ObservabilityModule,
        StoreModule,
        GraphQLApiModule.forRoot(),
        DeveloperReportsApiModule,
      ],
    };
  }
}
