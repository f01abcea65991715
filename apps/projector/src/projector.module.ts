import { type DynamicModule, Module } from '@nestjs/common';
import { KafkaBusModule, KafkaConsumerModule, KafkaDeadLetterSink, KafkaModule } from '@th/bus';
import {
  type AppConfig,
  ConfigModule,
  DashboardSiteModule,
  GraphQLApiModule,
  ObservabilityModule,
} from '@th/platform';
import { ProjectionModule } from '@th/projection';
import { type Role, domainModules, envelopeRoutes, migrationSources, topicSpecs } from '@th/registry';
import { StoreModule } from '@th/store';

/**
 * Consumes every domain's topics into ClickHouse. With PROJECTOR_SERVE_API=true it also serves the
 * api's GraphQL from the same process, which is how a single chDB directory serves both locally.
 */
@Module({})
export class ProjectorModule {
  static forRoot(config: AppConfig): DynamicModule {
    const serveApi = config.PROJECTOR_SERVE_API === 'true';
    const roles: Role[] = serveApi ? ['projector', 'api'] : ['projector'];
    return {
      module: ProjectorModule,
      imports: [
        ConfigModule.forRoot(config),
        ObservabilityModule,
        StoreModule.forRoot(migrationSources()),
        KafkaModule.forRoot(topicSpecs()),
        ProjectionModule.forRoot(KafkaDeadLetterSink),
        KafkaConsumerModule.forRoot(envelopeRoutes()),
        // The api role's actions publish what they learn (code-scanning polls), as in the api app.
        ...(serveApi
          ? [GraphQLApiModule.forRoot(), DashboardSiteModule, KafkaBusModule.forRoot(envelopeRoutes())]
          : []),
        ...domainModules(roles, { mode: 'distributed' }),
      ],
    };
  }
}
