import { type DynamicModule, Module } from '@nestjs/common';
import { InProcessBusModule } from '@th/bus';
import {
  type AppConfig,
  ConfigModule,
  DashboardSiteModule,
  GraphQLApiModule,
  ObservabilityModule,
} from '@th/platform';
import { ProjectionModule, StoreDeadLetterSink } from '@th/projection';
import { domainModules, envelopeRoutes, migrationSources } from '@th/registry';
import { StoreModule } from '@th/store';

/**
 * Everything in one process: every domain's gateway routes, projector (behind the in-process bus)
 * and api, on chDB (or a ClickHouse server when CLICKHOUSE_URL is set).
 */
@Module({})
export class EmbeddedModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: EmbeddedModule,
      imports: [
        ConfigModule.forRoot(config),
        ObservabilityModule,
        StoreModule.forRoot(migrationSources()),
        ProjectionModule.forRoot(StoreDeadLetterSink),
        InProcessBusModule.forRoot(envelopeRoutes()),
        GraphQLApiModule.forRoot(),
        DashboardSiteModule,
        ...domainModules(['gateway', 'projector', 'api'], { mode: 'embedded' }),
      ],
    };
  }
}
