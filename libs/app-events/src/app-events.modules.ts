import { type DynamicModule, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@th/platform';
import { ProjectionRegistry } from '@th/projection';
import { ClientIp } from './http/client-context';
import { AppEventsController } from './http/app-events.controller';
import { RateLimitGuard } from './http/rate-limit.guard';
import { AnonHasher } from './ingest/anon-hasher';
import { ANON_HASHER, AppEventIngestService } from './ingest/app-event-ingest.service';
import { EventLogWriter } from './ingest/event-log.writer';
import { GeoLocator } from './ingest/geo-locator';
import { resolveYearlySalt } from './ingest/yearly-salt';
import { appEventsProjection } from './projection/app-events.projection';
import { AppStatsRepository } from './stats/app-stats.repository';
import { AppStatsResolver } from './stats/app-stats.resolver';
import { StatsController } from './stats/stats.controller';
import { StatsRollups } from './stats/stats-rollups';

/**
 * Gateway role: `POST /t`. `generateSalt` lets the embedded mode keep its own anon hash key in
 * DATA_DIR when YEARLY_SALT is unset; a distributed gateway must be given one.
 */
@Module({})
export class AppEventsGatewayModule {
  static forRoot(options: { generateSalt: boolean }): DynamicModule {
    return {
      module: AppEventsGatewayModule,
      controllers: [AppEventsController],
      providers: [
        {
          provide: ANON_HASHER,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) =>
            new AnonHasher(
              resolveYearlySalt(config.YEARLY_SALT, options.generateSalt ? config.DATA_DIR : undefined),
            ),
        },
        AppEventIngestService,
        ClientIp,
        RateLimitGuard,
        GeoLocator,
        EventLogWriter,
      ],
    };
  }
}

/** Projector role: events become app_events rows. */
@Module({})
export class AppEventsProjectorModule implements OnModuleInit {
  constructor(@Inject(ProjectionRegistry) private readonly registry: ProjectionRegistry) {}

  onModuleInit(): void {
    this.registry.register(appEventsProjection);
  }
}

export const APP_EVENTS_RESOLVERS = [AppStatsResolver] as const;

/** Api role: /stats, /dbhealth, debug views and the GraphQL stats. */
@Module({
  controllers: [StatsController],
  providers: [AppStatsRepository, StatsRollups, ...APP_EVENTS_RESOLVERS],
})
export class AppEventsApiModule {}
