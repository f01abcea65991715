import { type DynamicModule, Module } from '@nestjs/common';
import { AppEventsApiModule, AppEventsProjectorModule } from '@th/app-events';
import { KafkaDeadLetterSink, KafkaModule } from '@th/bus';
import {
  ConnectionsModule,
  DeveloperReportsApiModule,
  DeveloperReportsProjectorModule,
} from '@th/developer-reports';
import { type AppConfig, ConfigModule, GraphQLApiModule, ObservabilityModule } from '@th/platform';
import { BatchProjector, DEAD_LETTER_SINK, ProjectionModule } from '@th/projection';
import { StoreModule } from '@th/store';
import { ProjectorController } from './projector.controller';

/**
 * Consumes the topics into ClickHouse. With PROJECTOR_SERVE_API=true it also serves the api's
 * GraphQL from the same process, which is how a single chDB directory serves both locally.
 */
@Module({})
export class ProjectorModule {
  static forRoot(config: AppConfig): DynamicModule {
    const api =
      config.PROJECTOR_SERVE_API === 'true'
        ? [
            GraphQLApiModule.forRoot(),
            ConnectionsModule.forRoot('kafka'),
            DeveloperReportsApiModule,
            AppEventsApiModule,
          ]
        : [];
    return {
      module: ProjectorModule,
      imports: [
        ConfigModule.forRoot(config),
        ObservabilityModule,
        StoreModule,
        KafkaModule,
        ProjectionModule,
        DeveloperReportsProjectorModule,
        AppEventsProjectorModule,
        ...api,
      ],
      controllers: [ProjectorController],
      providers: [BatchProjector, { provide: DEAD_LETTER_SINK, useClass: KafkaDeadLetterSink }],
    };
  }
}
