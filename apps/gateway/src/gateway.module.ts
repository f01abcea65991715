import { type DynamicModule, Module } from '@nestjs/common';
import { AppEventsGatewayModule } from '@th/app-events';
import { KafkaBusModule } from '@th/bus';
import { ConnectionsModule, DeveloperReportsGatewayModule } from '@th/developer-reports';
import { type AppConfig, ConfigModule, ObservabilityModule } from '@th/platform';

/**
 * The distributed mode's front door: the same ingestion routes as the embedded app, publishing to
 * Kafka. It needs no database: connections come from their compacted topic.
 */
@Module({})
export class GatewayModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        ConfigModule.forRoot(config),
        ObservabilityModule,
        KafkaBusModule,
        ConnectionsModule.forRoot('kafka'),
        DeveloperReportsGatewayModule,
        AppEventsGatewayModule.forRoot({ generateSalt: false }),
      ],
    };
  }
}
