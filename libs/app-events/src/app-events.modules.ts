import { type DynamicModule, Module, type OnModuleInit } from '@nestjs/common';
import type { DomainContext } from '@th/contracts';
import {
  APP_CONFIG,
  anonHasherFor,
  type AppConfig,
  RateLimitGuard,
  domainConfigProvider,
} from '@th/platform';
import { ProjectionRegistry } from '@th/projection';
import { APP_EVENTS_CONFIG, APP_EVENTS_SETTINGS } from './config';
import { ANON_HASHER, AppEventIngestService } from './ingest/app-event-ingest.service';
import { AppEventsController } from './ingest/app-events.controller';
import { ClickHouseStoredEvents } from './ingest/clickhouse-stored-events';
import { EventClaims } from './ingest/event-claims';
import { NoStoredEvents, STORED_EVENTS } from './ingest/stored-events';
import { EventLogWriter } from './ingest/event-log.writer';
import { GeoLocator } from './ingest/geo-locator';
import { appEventsProjection } from './projection/app-events.projection';
import { AppStatsRepository } from './read/app-stats.repository';
import { AppStatsResolver } from './read/app-stats.resolver';
import { StatsController } from './read/stats.controller';
import { StatsRollups } from './read/stats-rollups';

/** The GraphQL resolvers of this domain. */
export const APP_EVENTS_RESOLVERS = [AppStatsResolver] as const;

const settings = domainConfigProvider(APP_EVENTS_SETTINGS, APP_EVENTS_CONFIG);

/**
 * Gateway role: `POST /t`. The embedded mode keeps its own anon hash key in DATA_DIR when
 * YEARLY_SALT is unset; a distributed gateway must be given one (all replicas share it).
 */
@Module({})
export class AppEventsGatewayModule {
  static forRoot({ mode }: DomainContext): DynamicModule {
    return {
      module: AppEventsGatewayModule,
      controllers: [AppEventsController],
      providers: [
        settings,
        {
          provide: ANON_HASHER,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => anonHasherFor(config, mode),
        },
        {
          provide: STORED_EVENTS,
          // Only the embedded gateway has the store beside it; a distributed one has Kafka only.
          useClass: mode === 'embedded' ? ClickHouseStoredEvents : NoStoredEvents,
        },
        EventClaims,
        AppEventIngestService,
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
  constructor(private readonly registry: ProjectionRegistry) {}

  onModuleInit(): void {
    this.registry.register(appEventsProjection);
  }
}

/** Api role: /stats, debug views and the GraphQL stats. */
@Module({
  controllers: [StatsController],
  providers: [settings, AppStatsRepository, StatsRollups, ...APP_EVENTS_RESOLVERS],
})
export class AppEventsApiModule {}
