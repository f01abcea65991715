import { type DynamicModule, Module } from '@nestjs/common';
import { AppEventsApiModule, AppEventsGatewayModule, AppEventsProjectorModule } from '@th/app-events';
import { InProcessBusModule } from '@th/bus';
import {
  ConnectionsModule,
  DeveloperReportsApiModule,
  DeveloperReportsGatewayModule,
  DeveloperReportsProjectorModule,
} from '@th/developer-reports';
import { type AppConfig, ConfigModule, GraphQLApiModule, ObservabilityModule } from '@th/platform';
import { ProjectionModule } from '@th/projection';
import { StoreModule } from '@th/store';

/**
 * Everything in one process: the gateway's routes, the projector behind an in-process bus, and the
 * api's GraphQL, on chDB (or a ClickHouse server when CLICKHOUSE_URL is set).
 */
@Module({})
export class EmbeddedModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: EmbeddedModule,
      imports: [
        ConfigModule.forRoot(config),
        ObservabilityModule,
        StoreModule,
        ProjectionModule,
        InProcessBusModule,
        GraphQLApiModule.forRoot(),
        ConnectionsModule.forRoot('clickhouse'),
        DeveloperReportsGatewayModule,
        DeveloperReportsProjectorModule,
        DeveloperReportsApiModule,
        AppEventsGatewayModule.forRoot({ generateSalt: true }),
        AppEventsProjectorModule,
        AppEventsApiModule,
      ],
    };
  }
}
